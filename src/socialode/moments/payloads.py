"""The JSON shape of a moment: the same in the API, live events and the page's script.

It never carries a count, the audience, or anything about who answered.
"""

from __future__ import annotations

from typing import Any

from socialode.moments.access import MomentView


def photo_url(view: MomentView) -> str | None:
    return f"/media/moments/{view.photo.key}.jpg" if view.photo else None


def moment_dict(view: MomentView) -> dict[str, Any]:
    moment = view.moment
    return {
        "id": moment.id,
        "kind": moment.kind,
        "author": {"handle": view.author.handle, "display_name": view.author.display_name},
        "body": moment.body,
        "html": moment.body_html,
        "content_note": moment.content_note or None,
        "prompt": moment.prompt_text or None,
        "photo": (
            {"url": photo_url(view), "width": view.photo.width, "height": view.photo.height}
            if view.photo
            else None
        ),
        "created_at": moment.created_at.isoformat(),
        "edited": moment.edited_at is not None,
        "closed": moment.closed_at is not None,
        "url": f"/moments/{moment.id}",
    }
