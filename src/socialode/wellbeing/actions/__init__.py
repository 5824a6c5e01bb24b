"""The only writes of wellbeing data: check-ins (sealed before they are stored), their
deletion, the member's choices, and erasing everything of a member.

A check-in never leaves through anything but its member's own pages and API: no event, no
notification and no log line carries an answer or a note, and the reminder it schedules
says only that there is a moment for yourself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.accounts.validation import clean_text
from socialode.platform.clock import utcnow
from socialode.platform.errors import Conflict, Invalid, NotFound
from socialode.platform.i18n import N_, _, number
from socialode.platform.sealing import seal
from socialode.platform.services import Services
from socialode.web.when import reader_zone
from socialode.wellbeing.access import MISSING, Entry, access_own_entries, access_prefs, open_entry
from socialode.wellbeing.actions.reminders import do_schedule_reminder
from socialode.wellbeing.instruments import INSTRUMENTS
from socialode.wellbeing.instruments.mood import check_mood
from socialode.wellbeing.models import CHECKINS, SEALED, Checkin, WellbeingPrefs
from socialode.wellbeing.prefs import EVERY, NAMES, PAUSES, Prefs

UNKNOWN = N_("There is no check-in called that: choose mood, who5, ucla3, phq2 or phq9.")


def check_name(name: str) -> str:
    if name not in NAMES:
        raise Invalid(UNKNOWN, "instrument")
    return name


def check_note(svc: Services, note: str) -> str:
    note = clean_text(note.replace("\r\n", "\n"))
    most = svc.settings.checkin_note_max_chars
    if len(note) > most:
        raise Invalid(
            _("A note can be up to %(most)s characters; this one has %(count)s. Shorten it.")
            % {"most": number(most), "count": number(len(note))},
            "note",
        )
    return note


async def _taken_today(
    db: AsyncSession, svc: Services, viewer: Viewer, name: str, now: datetime
) -> int:
    """How many check-ins of this kind the member took since their local midnight."""
    zone = reader_zone(viewer.user.timezone)
    local = now.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    today = await access_own_entries(db, svc, viewer, since=midnight, name=name)
    return len(today)


async def check_checkin(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    name: str,
    answers: Mapping[str, object],
    feelings: Sequence[object] = (),
    note: str = "",
    now: datetime | None = None,
) -> Entry:
    """A check-in, validated, scored, sealed and stored; a refusal writes nothing."""
    at = now or utcnow()
    name = check_name(name)
    if name == "mood":
        if set(answers) - {"mood"}:
            raise Invalid(N_("A mood check-in has one answer, your mood from 1 to 5."), "mood")
        try:
            level, chosen = check_mood(answers.get("mood"), feelings)
        except Invalid as exc:  # the form and the API call the level "mood"
            raise Invalid(exc.message, "mood" if exc.field == "level" else exc.field) from exc
        checked, kept = {"mood": level}, list(chosen)
    else:
        if feelings:
            raise Invalid(N_("Feeling words go with a mood check-in only."), "feelings")
        checked, kept = INSTRUMENTS[name].check(answers), []
    note = check_note(svc, note)
    if await _taken_today(db, svc, viewer, name, at) >= svc.settings.mood_checkins_per_day:
        raise Conflict(
            N_("That is enough of this check-in for today. Come back tomorrow, if you like."),
            "instrument",
        )
    payload = json.dumps({"i": name, "a": checked, "f": kept, "n": note}, ensure_ascii=False)
    sealed = seal(svc.keyring, payload, member_id=viewer.id, table=CHECKINS, field=SEALED)
    row = Checkin(user_id=viewer.id, taken_at=at, sealed=sealed)
    db.add(row)
    prefs = await access_prefs(db, viewer.id)
    if prefs.reminders:
        await do_schedule_reminder(db, viewer.user, prefs, at)
    await db.commit()
    return open_entry(svc, viewer.id, row.id, at, sealed)


async def do_delete_checkin(db: AsyncSession, viewer: Viewer, checkin_id: int) -> None:
    gone = await db.execute(
        delete(Checkin).where(Checkin.id == checkin_id, Checkin.user_id == viewer.id)
    )
    if not gone.rowcount:  # type: ignore[attr-defined]
        raise NotFound(MISSING)
    await db.commit()


def check_prefs(
    schedule: Mapping[str, object], pause_days: int | None, resume: bool
) -> tuple[dict[str, int], int | None]:
    """The chosen schedule ({name: days}, a name left out is not offered) and pause."""
    chosen: dict[str, int] = {}
    for name, every in schedule.items():
        check_name(name)
        if isinstance(every, bool) or not isinstance(every, int) or every not in EVERY:
            raise Invalid(
                N_("Choose how often: every day, week, two weeks or month."), f"every_{name}"
            )
        chosen[name] = every
    if pause_days is not None and pause_days not in PAUSES:
        raise Invalid(N_("Choose a pause of a week, a month or three months."), "pause")
    if resume and pause_days is not None:
        raise Invalid(N_("Choose either a pause or to carry on, not both."), "pause")
    return chosen, pause_days


async def check_update_prefs(
    db: AsyncSession,
    viewer: Viewer,
    *,
    schedule: Mapping[str, object] | None = None,
    reminders: bool | None = None,
    line_up: bool | None = None,
    pause_days: int | None = None,
    resume: bool = False,
    now: datetime | None = None,
) -> Prefs:
    """Change what was given; everything is checked before anything is written."""
    at = now or utcnow()
    current = await access_prefs(db, viewer.id)
    chosen, pause = check_prefs(
        schedule if schedule is not None else current.schedule, pause_days, resume
    )
    row = await db.get(WellbeingPrefs, viewer.id)
    if row is None:
        row = WellbeingPrefs(user_id=viewer.id, updated_at=at)
        db.add(row)
    row.schedule = chosen
    row.reminders = current.reminders if reminders is None else reminders
    row.line_up = current.line_up if line_up is None else line_up
    row.paused_until = current.paused_until
    if pause is not None:
        row.paused_until = at + timedelta(days=pause)
    elif resume:
        row.paused_until = None
    row.updated_at = at
    prefs = Prefs(chosen, row.reminders, row.paused_until, row.line_up)
    if prefs.reminders:
        await do_schedule_reminder(db, viewer.user, prefs, at)
    await db.commit()
    return prefs


async def do_erase_wellbeing(db: AsyncSession, user_id: int) -> None:
    """Everything of a member's wellbeing, gone (the caller commits)."""
    await db.execute(delete(Checkin).where(Checkin.user_id == user_id))
    await db.execute(delete(WellbeingPrefs).where(WellbeingPrefs.user_id == user_id))
