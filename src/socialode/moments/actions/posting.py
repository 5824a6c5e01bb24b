"""Sharing a moment: validate everything, then write it, its fixed audience and the
notifications in one transaction, then send it live to the same people.

``check_post`` (circles and chosen connections), ``check_ask_support`` (a few supporters) and
the daily question's answers (prompts.py) all end in ``do_post``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.boundaries.access import access_limits
from socialode.boundaries.hours import held_until
from socialode.circles.access import access_connection
from socialode.circles.access_bulk import members_of_circles, muters_of, own_circles
from socialode.conversations.render import clean_body, to_html
from socialode.moments.access import MomentView
from socialode.moments.actions.photos import PhotoChoice, check_photo_choices
from socialode.moments.models import Moment, MomentAudience, MomentCircle, MomentKind, MomentPhoto
from socialode.moments.payloads import moment_dict
from socialode.notifications.actions import do_notify
from socialode.platform.aftercommit import publish_on_commit
from socialode.platform.clock import utcnow
from socialode.platform.errors import AppError, Checks, Invalid
from socialode.platform.i18n import N_, _, number
from socialode.platform.services import Services
from socialode.safety.marks import marked_envelopes
from socialode.safety.pause import NO_ANSWER, Cleared, PauseAnswer, check_fields

NOTE_MAX = 100
MAX_CHOSEN = 150
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Draft:
    """A moment checked and ready to write."""

    kind: MomentKind
    body: str
    content_note: str = ""
    prompt_text: str = ""
    circle_ids: list[int] = field(default_factory=list)
    direct: set[int] = field(default_factory=set)  # chosen by name (or the circle's owner)
    via_circles: set[int] = field(default_factory=set)
    paused: str | None = None  # what the author chose at a pause (safety.pause)


def check_moment_text(svc: Services, body: str, photos: int = 0) -> str:
    """The cleaned words; with ``photos``, they may be left out."""
    limit = svc.settings.moment_max_chars
    if photos and not _CONTROL.sub("", body).strip():
        return ""
    try:
        return clean_body(body, limit)
    except Invalid as exc:
        if "characters" in exc.message:
            raise Invalid(
                _(
                    "A moment can be up to %(most)s characters; this one has %(count)s. Shorten "
                    "it, or share the rest in another moment."
                )
                % {"most": number(limit), "count": number(len(body.strip()))},
                "body",
            ) from exc
        raise Invalid(N_("Write a few words to share."), "body") from exc


def _words_or_photos(svc: Services, body: str, photos: int) -> str:
    if not photos and not _CONTROL.sub("", body).strip():
        raise Invalid(_("Write a few words or add a photo to share."), "body")
    return check_moment_text(svc, body, photos)


def check_content_note(note: str) -> str:
    text = _SPACES.sub(" ", _CONTROL.sub(" ", unicodedata.normalize("NFC", note))).strip()
    if len(text) > NOTE_MAX:
        raise Invalid(
            _("A content note can be up to %(most)s characters; this one has %(count)s.")
            % {"most": NOTE_MAX, "count": len(text)},
            "content_note",
        )
    return text


async def check_people(
    db: AsyncSession, viewer: Viewer, handles: list[str], field_name: str = "audience"
) -> set[int]:
    """Ids of the chosen connections; anyone else is refused by name, the same way whether
    they exist or not."""
    if len(handles) > MAX_CHOSEN:
        raise Invalid(_("Choose at most %(most)s people.") % {"most": MAX_CHOSEN}, field_name)
    chosen: set[int] = set()
    for handle in dict.fromkeys(h.strip() for h in handles if h.strip()):
        try:
            chosen.add((await access_connection(db, viewer, handle)).id)
        except AppError as exc:
            raise Invalid(
                _("You can share only with your connections; %(handle)s is not one of them.")
                % {"handle": handle[:40]},
                field_name,
            ) from exc
    return chosen


async def check_audience(
    svc: Services, db: AsyncSession, viewer: Viewer, circle_ids: list[int], handles: list[str]
) -> tuple[list[int], set[int], set[int]]:
    """Own circles, the people in them now, and the connections chosen by name."""
    if not circle_ids and not any(h.strip() for h in handles):
        raise Invalid(N_("Choose at least one circle or person to share this with."), "audience")
    wanted = sorted(set(circle_ids))
    if len(wanted) > svc.settings.max_circles:
        most = svc.settings.max_circles
        raise Invalid(_("Choose at most %(most)s circles.") % {"most": most}, "audience")
    circles = await own_circles(db, viewer.id, wanted)
    if len(circles) != len(wanted):
        raise Invalid(
            N_(
                "One of the circles you chose is not one of yours (it may have been deleted). "
                "Choose from your circles."
            ),
            "audience",
        )
    in_circles = await members_of_circles(db, wanted) - {viewer.id}
    direct = await check_people(db, viewer, handles)
    if not in_circles and not direct:
        raise Invalid(
            N_(
                "Nobody is in the circles you chose yet. Add people to them, or choose someone "
                "by name."
            ),
            "audience",
        )
    return wanted, in_circles, direct


async def check_post(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    *,
    body: str,
    circle_ids: list[int],
    handles: list[str],
    content_note: str = "",
    photos: Sequence[PhotoChoice] = (),
    photo_problems: Sequence[AppError] = (),
    pause: PauseAnswer = NO_ANSWER,
) -> MomentView:
    """Every field is checked and every refusal reported at once (with ``photo_problems``,
    the photos' own, when they were refused on their upload just before). Words or at least
    one photo; up to four photos, each with an optional description."""
    checks = Checks(photo_problems)
    text = checks.run(lambda: _words_or_photos(svc, body, len(photos)), "")
    note = checks.run(lambda: check_content_note(content_note), "")
    nobody: tuple[list[int], set[int], set[int]] = ([], set(), set())
    circles, in_circles, direct = await checks.wait(
        lambda: check_audience(svc, db, viewer, circle_ids, handles), nobody
    )
    chosen = await check_photo_choices(db, viewer, photos, checks)
    checks.done()
    cleared = await check_moment_words(svc, viewer, "moment", text, note, pause)
    draft = Draft(MomentKind.moment, text, note, "", circles, direct, in_circles, cleared.paused)
    view = await do_post(svc, db, viewer, draft, chosen)
    return replace(view, offer_help=cleared.offer_help)


async def check_moment_words(
    svc: Services, viewer: Viewer, surface: str, text: str, note: str, pause: PauseAnswer
) -> Cleared:
    """The pause before words that might hurt, over the text and its content note, each read
    on its own."""
    fields = (("body", text), ("content_note", note))
    return await check_fields(svc, viewer.id, viewer.user.language, surface, fields, pause)


async def check_ask_support(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    *,
    body: str,
    handles: list[str],
    pause: PauseAnswer = NO_ANSWER,
) -> MomentView:
    """ "I could use some support", privately to a few chosen connections."""
    checks = Checks()
    text = "I could use some support."
    if body.strip():
        text = checks.run(lambda: check_moment_text(svc, body), "")
    direct = await checks.wait(lambda: _check_supporters(svc, db, viewer, handles), set[int]())
    checks.done()
    cleared = await check_moment_words(svc, viewer, "support", text, "", pause)
    draft = Draft(MomentKind.support, text, direct=direct, paused=cleared.paused)
    view = await do_post(svc, db, viewer, draft)
    return replace(view, offer_help=cleared.offer_help)


async def _check_supporters(
    svc: Services, db: AsyncSession, viewer: Viewer, handles: list[str]
) -> set[int]:
    limit = svc.settings.max_supporters
    chosen = [h for h in handles if h.strip()]
    if not chosen:
        raise Invalid(N_("Choose at least one person you would like support from."), "supporters")
    if len(set(chosen)) > limit:
        raise Invalid(
            _("Ask up to %(most)s people at a time, the ones you would most like to hear from.")
            % {"most": limit},
            "supporters",
        )
    return await check_people(db, viewer, chosen, "supporters")


async def do_post(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    draft: Draft,
    photos: Sequence[tuple[MomentPhoto, str]] = (),
) -> MomentView:
    """Write the checked draft with its photos (waiting uploads, checked, each with its
    cleaned description) in this order."""
    await svc.limits.hit(svc.settings.rate_moments, "moments", str(viewer.id))
    try:
        view, audience, quiet = await _write(db, viewer, draft, photos)
        payload: dict[str, Any] = {"type": draft.kind.value, "moment": moment_dict(view)}
        # The author's other tabs get it too, without a notification; so do people resting
        # now (quiet hours, together mode): their notification waits for them.
        resting = await _resting(db, audience)
        for envelope in await marked_envelopes(
            db, [viewer.id, *audience], payload, "moment", viewer.id,
            quiet=quiet | resting | {viewer.id},
        ):  # fmt: skip
            publish_on_commit(db, envelope)
        await db.commit()
    except BaseException:
        await db.rollback()
        raise
    return view


async def _resting(db: AsyncSession, people: list[int]) -> set[int]:
    now = utcnow()
    limits = await access_limits(db, people)
    return {uid for uid, lim in limits.items() if held_until(lim, now) is not None}


async def _write(
    db: AsyncSession, viewer: Viewer, draft: Draft, photos: Sequence[tuple[MomentPhoto, str]]
) -> tuple[MomentView, list[int], set[int]]:
    """Write the moment (uncommitted); it, its audience and who of them muted the author."""
    now = utcnow()
    moment = Moment(
        author_id=viewer.id,
        kind=draft.kind.value,
        body=draft.body,
        body_html=to_html(draft.body),
        content_note=draft.content_note,
        prompt_text=draft.prompt_text,
        paused=draft.paused,
        created_at=now,
    )
    db.add(moment)
    await db.flush()
    for position, (photo, alt) in enumerate(photos):
        photo.attached, photo.moment_id = True, moment.id
        photo.position, photo.alt = position, alt
    if draft.circle_ids:
        await db.execute(
            insert(MomentCircle),
            [{"moment_id": moment.id, "circle_id": c} for c in draft.circle_ids],
        )
    audience = (draft.direct | draft.via_circles) - {viewer.id}
    await db.execute(
        insert(MomentAudience),
        [
            {"viewer_id": uid, "moment_id": moment.id, "direct": uid in draft.direct}
            for uid in sorted(audience)
        ],
    )
    quiet = (await muters_of(db, [viewer.id]))[viewer.id]
    kind = "support" if draft.kind is MomentKind.support else "moment"
    await do_notify(db, audience - quiet, kind, f"moment:{moment.id}", viewer.id, now)
    view = MomentView(moment, viewer.user, tuple(p for p, _alt in photos), True)
    return view, sorted(audience), quiet
