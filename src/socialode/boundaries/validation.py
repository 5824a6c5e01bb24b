"""Checks of what a member asks for; each refusal is a sentence and the field it concerns."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from socialode.boundaries.limits import CHANNELS
from socialode.platform.errors import Checks, Invalid
from socialode.platform.i18n import N_, _

MAX_DIGEST_TIMES = 8
TOGETHER_MIN_HOURS = 1
TOGETHER_MAX_HOURS = 4
_HHMM = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
CHANNEL_WORDS = {"live": N_("live"), "digest": N_("in a digest"), "off": N_("off")}
# Per field: the sentence for a time not written as HH:MM, and for one that is no time of day.
_TIME_SENTENCES = {
    "quiet_start": (
        N_("Write the start of your quiet hours as hours and minutes, like 07:00."),
        N_("The start of your quiet hours %(time)s is not a time of day: use 00:00 to 23:59."),
    ),
    "quiet_end": (
        N_("Write the end of your quiet hours as hours and minutes, like 07:00."),
        N_("The end of your quiet hours %(time)s is not a time of day: use 00:00 to 23:59."),
    ),
    "digest_times": (
        N_("Write the digest time as hours and minutes, like 07:00."),
        N_("The digest time %(time)s is not a time of day: use 00:00 to 23:59."),
    ),
}


def check_time(value: str, field: str) -> str:
    """A time of day as "HH:MM" (a single-digit hour is accepted and padded)."""
    unwritten, impossible = _TIME_SENTENCES[field]
    text = value.strip() if isinstance(value, str) else ""
    match = _HHMM.match(text)
    if match is None:
        raise Invalid(_(unwritten), field)
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise Invalid(_(impossible) % {"time": text}, field)
    return f"{hours:02d}:{minutes:02d}"


def check_quiet_range(start: str, end: str) -> tuple[str, str]:
    """Both ends checked: two wrong times give two refusals at once."""
    checks = Checks()
    first = checks.run(lambda: check_time(start, "quiet_start"), "")
    last = checks.run(lambda: check_time(end, "quiet_end"), "")
    checks.done()
    if first == last:
        raise Invalid(
            _("Quiet hours need a start and an end that differ, e.g. 22:00 to 07:00."),
            "quiet_end",
        )
    return first, last


def check_digest_times(times: Iterable[str]) -> list[str]:
    values = list(times)
    if len(values) > MAX_DIGEST_TIMES:
        raise Invalid(
            _("Choose at most %(most)s digest times a day.") % {"most": MAX_DIGEST_TIMES},
            "digest_times",
        )
    seen: set[str] = set()
    for value in values:
        clean = check_time(value, "digest_times")
        if clean in seen:
            message = _("%(time)s is in your digest times twice; list each time once.") % {
                "time": clean
            }
            raise Invalid(message, "digest_times")
        seen.add(clean)
    return sorted(seen)


def check_channels(choices: Mapping[str, str], known_kinds: Mapping[str, str]) -> dict[str, str]:
    """The choices as they are valid; unknown kinds and channels are refused."""
    clean: dict[str, str] = {}
    for kind, channel in choices.items():
        if kind not in known_kinds:
            message = _("There is no kind of notification called %(kind)s.") % {"kind": repr(kind)}
            raise Invalid(message, "channels")
        if channel not in CHANNELS:
            raise Invalid(
                _("Choose live, digest or off for each kind of notification."), "channels"
            )
        clean[kind] = channel
    return clean


def check_together_hours(hours: object) -> Decimal:
    """1 to 4 hours, in whole or half hours."""
    message = _("Pause for %(least)s to %(most)s hours, in whole or half hours.") % {
        "least": TOGETHER_MIN_HOURS,
        "most": TOGETHER_MAX_HOURS,
    }
    if isinstance(hours, bool) or not isinstance(hours, (int, float, str, Decimal)):
        raise Invalid(message, "hours")
    try:
        value = Decimal(str(hours).strip())
    except InvalidOperation:
        raise Invalid(message, "hours") from None
    if not value.is_finite() or not TOGETHER_MIN_HOURS <= value <= TOGETHER_MAX_HOURS:
        raise Invalid(message, "hours")
    if (value * 2) % 1 != 0:
        raise Invalid(message, "hours")
    return value
