"""The JSON shape of a moment: the same in the API, live events and the page's script.

It never carries a count, the audience, or anything about who answered.
"""

from __future__ import annotations

from typing import Any

from socialode.moments.access import MomentView
from socialode.moments.models import MomentPhoto
from socialode.safety.pause import folds


def photo_url(photo: MomentPhoto) -> str:
    return f"/media/moments/{photo.key}.jpg"


def photo_dict(view: MomentView, photo: MomentPhoto) -> dict[str, Any]:
    return {
        "url": photo_url(photo),
        "width": photo.width,
        "height": photo.height,
        "alt": view.alt(photo),
        "description": photo.alt or None,
    }


def moment_dict(view: MomentView) -> dict[str, Any]:
    moment = view.moment
    photos = [photo_dict(view, photo) for photo in view.photos]
    return {
        "id": moment.id,
        "kind": moment.kind,
        "author": {"handle": view.author.handle, "display_name": view.author.display_name},
        "body": moment.body,
        "html": moment.body_html,
        "content_note": moment.content_note or None,
        "prompt": moment.prompt_text or None,
        "photos": photos,
        "photo": photos[0] if photos else None,
        "created_at": moment.created_at.isoformat(),
        "edited": moment.edited_at is not None,
        "closed": moment.closed_at is not None,
        "url": f"/moments/{moment.id}",
        "may_hurt": folds(moment.paused),
    }
