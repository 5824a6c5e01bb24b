"""HTML routes about one message (edit, delete, its photo) and the conversation settings.

Deleting asks first (web/confirm.py): a post without ``confirm=yes`` answers a page that
confirms with a form of its own, so it works without JavaScript; app.js asks in a dialog.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.conversations import access, access_chat, actions
from socialode.conversations.access import ConversationView
from socialode.conversations.actions.photos import message_photo_path
from socialode.conversations.models import Message
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.errors import AppError
from socialode.platform.i18n import _
from socialode.safety.web import pause_from_form, refusal
from socialode.web.confirm import Confirm, Question
from socialode.web.forms import form_data, see_other
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)


def leave_question(view: ConversationView) -> Question:
    return Question(
        _("Leave %(group)s?") % {"group": view.name},
        _(
            "You keep what was said while you were here, and see nothing new. Only the person "
            "who started the group can add you back."
        ),
        action=_("Leave the group"),
        back=f"/conversations/{view.id}",
        keep=_("Stay in the group"),
    )


def remove_question(view: ConversationView, name: str) -> Question:
    return Question(
        _("Take %(name)s out of %(group)s?") % {"name": name, "group": view.name},
        _("They keep what was said while they were here, and see nothing new."),
        action=_("Remove %(name)s") % {"name": name},
        back=f"/conversations/{view.id}",
        keep=_("Keep them in"),
    )


def delete_question(message: Message) -> Question:
    said = access_chat.excerpt(message.body, 80)
    return Question(
        _("Delete “%(words)s”?") % {"words": said} if said else _("Delete this photo?"),
        _(
            "Everyone in the conversation will see that a message was deleted, never its words. "
            "This cannot be undone."
        ),
        action=_("Delete the message"),
        back=f"/conversations/{message.conversation_id}#m-{message.id}",
        keep=_("Keep it"),
    )


@router.get("/messages/{message_id}/edit", response_class=HTMLResponse)
async def edit_page(request: Request, message_id: RowId, viewer: CurrentViewer, db: DB) -> Response:
    message = await access.access_own_message(db, viewer, message_id)
    return render(request, "conversations/edit.html", {"message": message})


@router.post("/messages/{message_id}/edit", response_class=HTMLResponse)
async def edit(
    request: Request, message_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB
) -> Response:
    form = await form_data(request)
    message = await access.access_own_message(db, viewer, message_id)
    try:
        await actions.check_edit(
            svc, db, viewer, message_id, form.get("body", ""), pause_from_form(form)
        )
    except AppError as exc:
        errors = refusal(request, exc, ("body",))
        context = {"message": message, "errors": errors, "form": form}
        return render(request, "conversations/edit.html", context, status=exc.status_code)
    return see_other(f"/conversations/{message.conversation_id}#m-{message_id}")


@router.post("/messages/{message_id}/delete", response_class=HTMLResponse)
async def delete(
    message_id: RowId, viewer: CurrentViewer, svc: Svc, db: DB, confirm: Confirm
) -> Response:
    if not confirm.yes:
        return confirm.ask(delete_question(await access.access_own_message(db, viewer, message_id)))
    message = await actions.check_delete(svc, db, viewer, message_id)
    return see_other(f"/conversations/{message.conversation_id}#latest")


@router.get("/media/messages/{photo_key}.jpg")
async def photo(photo_key: str, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    """A message's photo, for whoever may see the message (everyone else: 404)."""
    found = await access_chat.access_message_photo(db, viewer, photo_key[:64])
    headers = {"Cache-Control": "private, max-age=3600"}
    path = message_photo_path(svc, found.photo_key or "")
    return FileResponse(path, media_type="image/jpeg", headers=headers)


@router.get("/settings/chat", response_class=HTMLResponse)
async def chat_settings(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    enabled = await access.read_receipts_enabled(db, viewer.id)
    return render(request, "conversations/settings_chat.html", {"read_receipts": enabled})


@router.post("/settings/chat", response_class=HTMLResponse)
async def save_chat_settings(request: Request, viewer: CurrentViewer, db: DB) -> Response:
    form = await form_data(request)
    await actions.do_set_read_receipts(db, viewer, form.get("read_receipts") == "on")
    return see_other("/settings/chat?notice=chat-saved")
