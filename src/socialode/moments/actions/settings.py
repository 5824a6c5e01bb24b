"""A member's own moment settings: the optional reflection before sharing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.moments.models import MomentSettings
from socialode.platform.errors import Invalid
from socialode.platform.i18n import N_, _

DEFAULT_REFLECTION = N_("Is this for them, or for how it looks?")
REFLECTION_MAX = 200


async def own_settings(db: AsyncSession, viewer: Viewer) -> MomentSettings:
    found = await db.get(MomentSettings, viewer.id)
    return found or MomentSettings(
        user_id=viewer.id, reflection_enabled=False, reflection_text=DEFAULT_REFLECTION
    )


async def check_set_reflection(
    db: AsyncSession, viewer: Viewer, enabled: bool, text: str | None
) -> MomentSettings:
    wording = " ".join((text if text is not None else DEFAULT_REFLECTION).split())
    if not wording:
        wording = DEFAULT_REFLECTION
    if len(wording) > REFLECTION_MAX:
        raise Invalid(
            _("The reflection can be up to %(most)s characters; this one has %(count)s.")
            % {"most": REFLECTION_MAX, "count": len(wording)},
            "reflection_text",
        )
    settings = await db.get(MomentSettings, viewer.id)
    if settings is None:
        settings = MomentSettings(user_id=viewer.id)
        db.add(settings)
    settings.reflection_enabled, settings.reflection_text = enabled, wording
    await db.commit()
    return settings
