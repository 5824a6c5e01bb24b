"""How notifications about gatherings read, decided through the gatherings access rule.

Each is about one gathering (``gathering:<id>:<what>``) and reads from the gathering as it is
now, in the reader's time zone and language: a notice about a gathering someone is no
longer invited to is not shown; a reminder is not shown once the gathering has begun, was
moved (its time is another) or cancelled; the question afterwards goes once it is answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.models import User
from socialode.gatherings.access import folded_fields, visible_gathering_ids
from socialode.gatherings.models import Feeling, Gathering, State
from socialode.notifications.models import Notification
from socialode.notifications.registry import Kind, Shown, register_kind
from socialode.platform.clock import utcnow
from socialode.platform.i18n import N_, _
from socialode.safety.access import folds_hurtful
from socialode.safety.pause import FOLDED, folds
from socialode.web.when import full_text, reader_zone

INVITE = "gathering_invite"
CHANGE = "gathering_change"
REMINDER = "gathering_reminder"
AFTER = "gathering_after"
AGAIN = "gathering_again"


def ref_for(gathering_id: int, what: str) -> str:
    return f"gathering:{gathering_id}:{what}"


def reminder_ref(gathering_id: int, which: str, starts_at: datetime) -> str:
    """A reminder is about the time it names (in minutes since the epoch, base 36, so a ref
    stays within its 40 characters): still true after other changes, not once the gathering
    moves."""
    minutes = int(starts_at.timestamp()) // 60
    return ref_for(gathering_id, f"remind-{which}-{_base36(minutes)}")


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


@dataclass(frozen=True)
class _Ref:
    gathering_id: int
    what: str


def _parse(ref: str) -> _Ref | None:
    kind, _sep, rest = ref.partition(":")
    raw, _sep, what = rest.partition(":")
    if kind != "gathering" or not raw.isdigit():
        return None
    return _Ref(int(raw), what)


async def _about(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> tuple[dict[int, _Ref], dict[int, tuple[Gathering, User]]]:
    refs = {r.id: parsed for r in rows if (parsed := _parse(r.ref)) is not None}
    visible = await visible_gathering_ids(db, viewer, [p.gathering_id for p in refs.values()])
    found: dict[int, tuple[Gathering, User]] = {}
    if visible:
        rows_found = await db.execute(
            select(Gathering, User)
            .join(User, User.id == Gathering.organiser_id)
            .where(Gathering.id.in_(visible))
        )
        found = {g.id: (g, u) for g, u in rows_found}
    return refs, found


def _when(gathering: Gathering, viewer: Viewer) -> str:
    assert gathering.starts_at is not None
    return full_text(gathering.starts_at, reader_zone(viewer.user.timezone))


def _invite_text(gathering: Gathering, organiser: User, viewer: Viewer, title: str) -> str:
    values = {"name": organiser.display_name, "title": title}
    if gathering.state == State.polling.value:
        return _("%(name)s invites you to “%(title)s”. Which times suit you?") % values
    if gathering.state == State.cancelled.value:
        return _("%(name)s cancelled “%(title)s”.") % values
    return _("%(name)s invites you to “%(title)s”, %(when)s.") % (
        values | {"when": _when(gathering, viewer)}
    )


def _change_text(gathering: Gathering, organiser: User, viewer: Viewer, title: str) -> str:
    values = {"name": organiser.display_name, "title": title}
    if gathering.state == State.cancelled.value:
        return _("%(name)s cancelled “%(title)s”.") % values
    if gathering.state == State.fixed.value:
        return _("“%(title)s” is on %(when)s.") % (values | {"when": _when(gathering, viewer)})
    return _("%(name)s changed “%(title)s”.") % values


async def resolve(
    db: AsyncSession, viewer: Viewer, rows: Sequence[Notification]
) -> dict[int, Shown]:
    refs, found = await _about(db, viewer, rows)
    now = utcnow()
    answered = await _answered(db, viewer, [p.gathering_id for p in refs.values()])
    # Words sent anyway after a pause are folded for a reader who folds such texts: the notice
    # says so, and the title reads "…" when it carried them (never for the organiser, whose
    # words they are).
    marked = {g.id for g, _u in found.values() if folds(g.paused) and g.organiser_id != viewer.id}
    folded = marked if marked and await folds_hurtful(db, viewer.id) else set()
    shown: dict[int, Shown] = {}
    for row in rows:
        ref = refs.get(row.id)
        if ref is None or ref.gathering_id not in found:
            continue
        gathering, organiser = found[ref.gathering_id]
        hidden = gathering.id in folded and "title" in folded_fields(gathering.paused)
        title = "…" if hidden else gathering.title
        url = f"/gatherings/{gathering.id}"
        fixed = gathering.state == State.fixed.value
        if row.kind == INVITE:
            text = _invite_text(gathering, organiser, viewer, title)
        elif row.kind == CHANGE:
            text = _change_text(gathering, organiser, viewer, title)
        elif row.kind == REMINDER:
            starts = gathering.starts_at
            if not fixed or starts is None or starts <= now:
                continue
            if row.ref != reminder_ref(gathering.id, ref.what.split("-")[1], starts):
                continue  # about a time the gathering no longer has
            text = _("Soon: “%(title)s”, %(when)s.") % {
                "title": title,
                "when": _when(gathering, viewer),
            }
        elif row.kind == AFTER:
            if not fixed or gathering.id in answered:
                continue
            text = _("How did “%(title)s” feel? Only you will see your answer.") % {"title": title}
            url = f"/gatherings/{gathering.id}/felt"
        elif row.kind == AGAIN:
            if not gathering.suggest_again or gathering.organiser_id != viewer.id:
                continue
            text = _("It has been a few weeks since “%(title)s”. Meet again?") % {
                "title": gathering.title
            }
            url = f"/gatherings/new?again={gathering.id}"
        else:
            continue
        if gathering.id in folded:
            text = f"{text} {_(FOLDED)}"
        shown[row.id] = Shown(text, url, person=organiser)
    return shown


async def _answered(db: AsyncSession, viewer: Viewer, gathering_ids: list[int]) -> set[int]:
    if not gathering_ids:
        return set()
    return {
        gid
        for gid in await db.scalars(
            select(Feeling.gathering_id).where(
                Feeling.user_id == viewer.id, Feeling.gathering_id.in_(set(gathering_ids))
            )
        )
        if gid is not None
    }


def register_notices() -> None:
    register_kind(Kind(INVITE, N_("Invitations to gatherings"), "live", resolve))
    register_kind(Kind(CHANGE, N_("Changes to gatherings"), "live", resolve))
    register_kind(Kind(REMINDER, N_("Reminders of gatherings"), "live", resolve))
    register_kind(Kind(AFTER, N_("How a gathering felt"), "digest", resolve))
    register_kind(Kind(AGAIN, N_("Suggestions to meet again"), "digest", resolve))
    # Their job handlers, what a block undoes, and their part of export and erasure
    # (imported here: those modules import this one).
    from socialode.circles.actions.blocks import on_block
    from socialode.gatherings import jobs  # noqa: F401
    from socialode.gatherings.actions.blocking import do_part_on_block
    from socialode.gatherings.privacy import register_privacy

    on_block(do_part_on_block)
    register_privacy()
