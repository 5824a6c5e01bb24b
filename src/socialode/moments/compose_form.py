"""The share form's photos, without JavaScript: several chosen at once, uploaded first and
carried by id from one try to the next (with a preview and a description field each), moved
up or down or removed by buttons that send the form back to itself, then shared in that order.

Field names: ``photos`` (new files), ``photo_ids`` (carried uploads, in order),
``alt_<id>`` (each one's description), ``move`` = ``up:<id>``/``down:<id>`` and
``remove`` = ``<id>`` (buttons: the form comes back rearranged, nothing is shared),
``add`` (a button: the chosen files are uploaded and the form comes back with them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from starlette.datastructures import UploadFile

from socialode.moments.actions import MAX_PHOTOS, PhotoChoice
from socialode.moments.models import MomentPhoto
from socialode.platform.deps import MAX_ID
from socialode.web.forms import MAX_FIELD, MAX_VALUES

LISTS = ("circles", "people", "photo_ids")
MAX_NEW = MAX_PHOTOS * 2  # files read from one form; more are left unread


def to_ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and 0 < int(v) <= MAX_ID]


@dataclass
class ComposeForm:
    fields: dict[str, str]
    lists: dict[str, list[str]]
    new: list[bytes] = field(default_factory=list)

    @property
    def carried(self) -> list[int]:
        return to_ids(self.lists["photo_ids"])

    @property
    def remove(self) -> int | None:
        found = to_ids([self.fields.get("remove", "")])
        return found[0] if found else None

    @property
    def rearranging(self) -> bool:
        """A move, remove or add button sent the form: show it again, share nothing."""
        return any(self.fields.get(name) for name in ("move", "remove", "add"))

    def ordered(self, photos: list[MomentPhoto]) -> list[MomentPhoto]:
        """The photos with the one the ``move`` button names one place up or down."""
        way, _sep, raw = self.fields.get("move", "").partition(":")
        ids = [p.id for p in photos]
        if way not in ("up", "down") or not raw.isdigit() or int(raw) not in ids:
            return photos
        at = ids.index(int(raw))
        to = at - 1 if way == "up" else at + 1
        if not 0 <= to < len(photos):
            return photos
        moved = list(photos)
        moved[at], moved[to] = moved[to], moved[at]
        return moved

    def choices(self, photos: list[MomentPhoto]) -> list[PhotoChoice]:
        return [PhotoChoice(p.id, self.fields.get(f"alt_{p.id}", "")) for p in photos]

    def kept(self, photos: list[MomentPhoto]) -> dict[str, object]:
        """What was typed, to show again, with the photos as they now stand."""
        return {**self.fields, **self.lists, "photo_ids": [str(p.id) for p in photos]}


async def read_compose(request: Request, file_limit: int) -> ComposeForm:
    """Text fields (each bounded), the multi-valued ones, and up to ``MAX_NEW`` new photos
    (each read up to its limit plus one byte, so an oversized one can be refused)."""
    async with request.form(max_part_size=MAX_FIELD * 4) as form:
        fields = {k: v[:MAX_FIELD] for k, v in form.items() if isinstance(v, str)}
        lists = {
            name: [v[:200] for v in form.getlist(name) if isinstance(v, str)][:MAX_VALUES]
            for name in LISTS
        }
        new: list[bytes] = []
        for upload in form.getlist("photos")[:MAX_NEW]:
            if isinstance(upload, UploadFile) and upload.filename:
                new.append(await upload.read(file_limit + 1))
    return ComposeForm(fields, lists, new)
