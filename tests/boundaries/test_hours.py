"""Quiet hours, together mode and digest times as pure functions of a member's limits and an
instant: members in Lisbon, São Paulo and Tokyo, ranges across midnight and within a day,
and the nights Lisbon's clocks change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from socialode.boundaries.hours import (
    channel_of,
    held_until,
    in_quiet_hours,
    last_digest_at_or_before,
    next_digest_at,
    quiet_ends_at,
)
from socialode.boundaries.limits import Limits, default_limits

pytestmark = pytest.mark.once

LISBON, SAO_PAULO, TOKYO = "Europe/Lisbon", "America/Sao_Paulo", "Asia/Tokyo"


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def member(zone: str, **changes: object) -> Limits:
    return replace(default_limits(1, zone), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("zone", "now", "ends"),
    [
        # 23:30 in Lisbon in winter (UTC+0): quiet until 07:00 = 07:00 UTC.
        (LISBON, utc(2027, 1, 14, 23, 30), utc(2027, 1, 15, 7, 0)),
        # 22:30 in Lisbon in summer (UTC+1): quiet until 07:00 = 06:00 UTC.
        (LISBON, utc(2027, 7, 14, 21, 30), utc(2027, 7, 15, 6, 0)),
        # 22:30 in São Paulo (UTC-3, the next UTC day already): until 10:00 UTC.
        (SAO_PAULO, utc(2027, 1, 15, 1, 30), utc(2027, 1, 15, 10, 0)),
        # 06:59 in São Paulo: a minute to go.
        (SAO_PAULO, utc(2027, 1, 15, 9, 59), utc(2027, 1, 15, 10, 0)),
        # 22:30 in Tokyo (UTC+9) is 13:30 UTC: quiet until 07:00 JST = 22:00 UTC.
        (TOKYO, utc(2027, 1, 14, 13, 30), utc(2027, 1, 14, 22, 0)),
        # 00:10 in Tokyo, after midnight of a range that crossed it.
        (TOKYO, utc(2027, 1, 14, 15, 10), utc(2027, 1, 14, 22, 0)),
    ],
)
def test_default_quiet_hours_in_three_zones(zone: str, now: datetime, ends: datetime) -> None:
    limits = member(zone)
    assert in_quiet_hours(limits, now)
    assert quiet_ends_at(limits, now) == ends
    assert held_until(limits, now) == ends


def test_one_instant_is_night_in_one_zone_and_day_in_the_others() -> None:
    now = utc(2027, 1, 14, 13, 30)  # 13:30 Lisbon, 10:30 São Paulo, 22:30 Tokyo
    assert [in_quiet_hours(member(z), now) for z in (LISBON, SAO_PAULO, TOKYO)] == [
        False,
        False,
        True,
    ]
    assert quiet_ends_at(member(LISBON), now) is None
    assert held_until(member(SAO_PAULO), now) is None


@pytest.mark.parametrize(
    ("now", "quiet"),
    [
        (utc(2027, 1, 14, 21, 59), False),  # 21:59 Lisbon
        (utc(2027, 1, 14, 22, 0), True),  # the start is in
        (utc(2027, 1, 15, 0, 0), True),  # midnight
        (utc(2027, 1, 15, 6, 59), True),
        (utc(2027, 1, 15, 7, 0), False),  # the end is out
        (utc(2027, 1, 15, 12, 0), False),
    ],
)
def test_a_range_across_midnight_includes_its_start_and_not_its_end(
    now: datetime, quiet: bool
) -> None:
    assert in_quiet_hours(member(LISBON), now) is quiet


@pytest.mark.parametrize(
    ("now", "ends"),
    [
        (utc(2027, 1, 14, 3, 59), None),  # 12:59 in Tokyo
        (utc(2027, 1, 14, 4, 0), utc(2027, 1, 14, 6, 0)),  # 13:00
        (utc(2027, 1, 14, 5, 30), utc(2027, 1, 14, 6, 0)),  # 14:30
        (utc(2027, 1, 14, 6, 0), None),  # 15:00
        (utc(2027, 1, 14, 14, 0), None),  # 23:00: a same-day range does not cross midnight
    ],
)
def test_a_same_day_range(now: datetime, ends: datetime | None) -> None:
    nap = member(TOKYO, quiet_start="13:00", quiet_end="15:00")
    assert in_quiet_hours(nap, now) is (ends is not None)
    assert quiet_ends_at(nap, now) == ends


def test_quiet_hours_switched_off_hold_nothing() -> None:
    off = member(LISBON, quiet_on=False)
    night = utc(2027, 1, 14, 23, 30)
    assert not in_quiet_hours(off, night)
    assert quiet_ends_at(off, night) is None
    assert held_until(off, night) is None


@pytest.mark.parametrize(
    ("now", "ends"),
    [
        # Spring forward (28 March 2027, 01:00 WET -> 02:00 WEST): a night of 8 hours,
        # 07:00 summer time is 06:00 UTC.
        (utc(2027, 3, 27, 22, 0), utc(2027, 3, 28, 6, 0)),
        (utc(2027, 3, 28, 0, 59), utc(2027, 3, 28, 6, 0)),
        (utc(2027, 3, 28, 1, 0), utc(2027, 3, 28, 6, 0)),  # 02:00 WEST, right after the jump
        # Fall back (31 October 2027, 02:00 WEST -> 01:00 WET): a night of 10 hours,
        # 07:00 winter time is 07:00 UTC.
        (utc(2027, 10, 30, 21, 0), utc(2027, 10, 31, 7, 0)),
        (utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 7, 0)),  # 01:30 the first time
        (utc(2027, 10, 31, 1, 30), utc(2027, 10, 31, 7, 0)),  # 01:30 the second time
    ],
)
def test_quiet_hours_end_at_seven_local_on_the_nights_lisbon_changes_clocks(
    now: datetime, ends: datetime
) -> None:
    assert quiet_ends_at(member(LISBON), now) == ends


def test_an_end_the_spring_forward_skips_comes_at_the_end_of_the_gap() -> None:
    late = member(LISBON, quiet_start="22:00", quiet_end="01:30")
    # 00:30 WET on 28 March 2027; 01:30 never happens that night (01:00 becomes 02:00).
    assert quiet_ends_at(late, utc(2027, 3, 28, 0, 30)) == utc(2027, 3, 28, 1, 0)
    assert not in_quiet_hours(late, utc(2027, 3, 28, 1, 0))  # 02:00 WEST


def test_an_end_the_fall_back_repeats_is_the_one_the_member_waits_for() -> None:
    late = member(LISBON, quiet_start="22:00", quiet_end="01:30")
    # 01:10 WEST (the first pass of that hour): ends at 01:30 WEST = 00:30 UTC.
    assert quiet_ends_at(late, utc(2027, 10, 31, 0, 10)) == utc(2027, 10, 31, 0, 30)
    # 01:10 WET (the second pass): the clock reads 01:10 again, so quiet again until 01:30 WET.
    assert quiet_ends_at(late, utc(2027, 10, 31, 1, 10)) == utc(2027, 10, 31, 1, 30)


def test_together_mode_holds_until_it_ends() -> None:
    noon = utc(2027, 1, 14, 12, 0)  # 12:00 in Lisbon
    together = member(LISBON, together_until=noon + timedelta(hours=2))
    assert not in_quiet_hours(together, noon)
    assert held_until(together, noon) == utc(2027, 1, 14, 14, 0)
    assert held_until(together, utc(2027, 1, 14, 14, 0)) is None  # over: reachable


def test_together_mode_running_into_quiet_hours_holds_until_they_end() -> None:
    evening = utc(2027, 1, 14, 20, 30)  # 20:30 in Lisbon; quiet hours start at 22:00
    together = member(LISBON, together_until=evening + timedelta(hours=2))
    assert held_until(together, evening) == utc(2027, 1, 15, 7, 0)
    short = member(LISBON, together_until=evening + timedelta(hours=1))  # over at 21:30
    assert held_until(short, evening) == utc(2027, 1, 14, 21, 30)


def test_quiet_hours_and_together_mode_release_at_the_later_end() -> None:
    # Tokyo nap 13:00-15:00; together mode from 12:00 JST for 2 hours ends inside it.
    nap = member(TOKYO, quiet_start="13:00", quiet_end="15:00")
    at_noon = utc(2027, 1, 14, 3, 0)
    assert held_until(replace(nap, together_until=at_noon + timedelta(hours=2)), at_noon) == utc(
        2027, 1, 14, 6, 0
    )
    # Together mode started in the nap and going past it.
    in_nap = utc(2027, 1, 14, 5, 0)  # 14:00 JST
    later = replace(nap, together_until=in_nap + timedelta(hours=3))
    assert held_until(later, in_nap) == in_nap + timedelta(hours=3)


def test_a_member_whose_zone_is_unknown_is_protected_by_the_utc_clock() -> None:
    lost = member("Mars/Olympus")
    assert lost.zone == "UTC"
    lost_raw = replace(lost, zone="Mars/Olympus")  # however it got there
    night = utc(2027, 1, 14, 23, 0)
    assert in_quiet_hours(lost_raw, night)
    assert quiet_ends_at(lost_raw, night) == utc(2027, 1, 15, 7, 0)
    assert next_digest_at(lost_raw, night) == utc(2027, 1, 15, 12, 0)


@pytest.mark.parametrize(
    ("zone", "now", "nxt", "last"),
    [
        # Lisbon, winter: 12:00 and 18:00 UTC. At exactly 12:00 the next one is 18:00.
        (LISBON, utc(2027, 1, 14, 12, 0), utc(2027, 1, 14, 18, 0), utc(2027, 1, 14, 12, 0)),
        (LISBON, utc(2027, 1, 14, 11, 59), utc(2027, 1, 14, 12, 0), utc(2027, 1, 13, 18, 0)),
        # Lisbon, summer: 11:00 and 17:00 UTC.
        (LISBON, utc(2027, 7, 14, 20, 0), utc(2027, 7, 15, 11, 0), utc(2027, 7, 14, 17, 0)),
        # São Paulo: 15:00 and 21:00 UTC.
        (SAO_PAULO, utc(2027, 1, 14, 16, 0), utc(2027, 1, 14, 21, 0), utc(2027, 1, 14, 15, 0)),
        # Tokyo, 09:00 JST: the next is 12:00 JST (03:00 UTC), the last yesterday's 18:00.
        (TOKYO, utc(2027, 1, 14, 0, 0), utc(2027, 1, 14, 3, 0), utc(2027, 1, 13, 9, 0)),
    ],
)
def test_digest_times_in_three_zones(
    zone: str, now: datetime, nxt: datetime, last: datetime
) -> None:
    limits = member(zone)
    assert next_digest_at(limits, now) == nxt
    assert last_digest_at_or_before(limits, now) == last


def test_digest_times_across_the_spring_forward() -> None:
    morning = member(LISBON, digest_times=("07:00", "21:00"))
    # Saturday 21:00 WET, then Sunday 07:00 WEST = 06:00 UTC.
    assert next_digest_at(morning, utc(2027, 3, 27, 21, 0)) == utc(2027, 3, 28, 6, 0)
    assert last_digest_at_or_before(morning, utc(2027, 3, 28, 5, 59)) == utc(2027, 3, 27, 21, 0)


def test_no_digest_times_means_no_digests() -> None:
    none = member(TOKYO, digest_times=())
    assert next_digest_at(none, utc(2027, 1, 14, 0, 0)) is None
    assert last_digest_at_or_before(none, utc(2027, 1, 14, 0, 0)) is None


def test_channel_of_is_the_members_choice_or_the_kinds_default() -> None:
    limits = member(LISBON, channels={"moment_answer": "off"})
    assert channel_of(limits, "moment_answer", "digest") == "off"
    assert channel_of(limits, "message", "live") == "live"
