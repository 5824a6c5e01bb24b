"""Answering a moment: words, not taps. The answer is a message in the private one-to-one
conversation with the author (opened if needed), quoting the moment."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.conversations.actions import Sent, check_open_direct, check_send
from socialode.conversations.actions.messages import check_client_key
from socialode.conversations.render import clean_body
from socialode.moments import access
from socialode.moments.actions.changes import quote_of
from socialode.moments.notices import ANSWER
from socialode.platform.errors import Invalid
from socialode.platform.i18n import N_
from socialode.platform.services import Services
from socialode.safety.pause import NO_ANSWER, PauseAnswer


async def check_answer(
    svc: Services,
    db: AsyncSession,
    viewer: Viewer,
    moment_id: int,
    body: str,
    client_key: str,
    pause: PauseAnswer = NO_ANSWER,
) -> tuple[int, Sent]:
    """The conversation the answer went to, and the answer."""
    view = await access.access_moment(db, viewer, moment_id)
    if view.own:
        raise Invalid(
            N_("This is your own moment; answers come from the people you shared it with."), "body"
        )
    check_client_key(client_key)
    clean_body(body, svc.settings.message_max_chars)  # before anything is opened
    conversation_id = await check_open_direct(db, viewer, view.author.handle)
    sent = await check_send(
        svc,
        viewer,
        conversation_id,
        client_key,
        body,
        db,
        quote=quote_of(view.moment),
        quote_ref=view.ref,
        notice=ANSWER,  # the author hears "… answered your moment", in the same transaction
        pause=pause,
        surface="answer",
    )
    return conversation_id, sent
