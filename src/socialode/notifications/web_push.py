"""The devices page: notifications on this device (switched by pwa.js with the browser's
PushManager), and every device of yours with a way to remove it that needs no script."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from socialode.accounts.deps import CurrentViewer
from socialode.notifications import push
from socialode.platform.deps import DB, RowId, Svc
from socialode.platform.i18n import N_, _
from socialode.platform.push import application_server_key
from socialode.web.confirm import Confirm, Question, pick
from socialode.web.forms import see_other
from socialode.web.templating import render

router = APIRouter(include_in_schema=False)

NOTICES = {"device-removed": N_("That device will get no more notifications from us.")}


@router.get("/settings/devices", response_class=HTMLResponse)
async def devices(request: Request, viewer: CurrentViewer, svc: Svc, db: DB) -> Response:
    context = {
        "devices": await push.access_subscriptions(db, viewer),
        "push_key": application_server_key(svc.settings),
        "max_devices": push.MAX_DEVICES,
    }
    key = request.query_params.get("notice", "")
    notice = _(NOTICES[key]) if key in NOTICES else None
    if notice:
        context["notice"] = notice
    return render(request, "notifications/devices.html", context)


@router.post("/settings/devices/{device_id}/remove")
async def remove_device(
    device_id: RowId, viewer: CurrentViewer, db: DB, confirm: Confirm
) -> Response:
    if not confirm.yes:
        mine = await push.access_subscriptions(db, viewer)
        found = pick(mine, device_id, N_("That device is not in your list."))
        detail = _("It gets no more notifications from us until you turn them on there again.")
        back = "/settings/devices"
        question = _("Remove %(device)s?") % {"device": found.label}
        return confirm.ask(Question(question, detail, _("Remove"), back))
    await push.do_remove_device(db, viewer, device_id)
    return see_other("/settings/devices?notice=device-removed")
