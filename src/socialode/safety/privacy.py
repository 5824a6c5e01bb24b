"""Safety's part of a member's export and erasure: their choice about folding hurtful texts.
(What they chose at a pause is part of the text it belongs to, exported with it.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.platform.personal_data import PersonalData, register_personal_data
from socialode.platform.services import Services
from socialode.safety.access import folds_hurtful
from socialode.safety.actions import do_erase_safety


async def export_safety(db: AsyncSession, svc: Services, user_id: int) -> dict[str, Any]:
    return {"fold_texts_that_may_hurt": await folds_hurtful(db, user_id)}


def register_privacy() -> None:
    register_personal_data(
        PersonalData("safety", ("safety_settings",), export_safety, do_erase_safety)
    )
