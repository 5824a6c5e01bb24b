"""A member's own moment settings: the optional reflection before sharing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.accounts.access import Viewer
from socialode.moments.models import MomentSettings
from socialode.platform.errors import Invalid

DEFAULT_REFLECTION = "Is this for them, or for how it looks?"
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
            f"The reflection can be up to {REFLECTION_MAX} characters; this one has "
            f"{len(wording)}.",
            "reflection_text",
        )
    settings = await db.get(MomentSettings, viewer.id)
    if settings is None:
        settings = MomentSettings(user_id=viewer.id)
        db.add(settings)
    settings.reflection_enabled, settings.reflection_text = enabled, wording
    await db.commit()
    return settings
