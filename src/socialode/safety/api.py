"""/api/v1 routes of safety: a member's own choice about texts that may hurt."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from socialode.accounts.api import ERRORS
from socialode.accounts.deps import CurrentViewer
from socialode.platform.deps import DB
from socialode.safety.access import folds_hurtful
from socialode.safety.actions import do_set_fold

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["safety"])


class SafetySettingsOut(BaseModel):
    fold_hurtful: bool = Field(
        description="Messages and moments their senders sent anyway after a pause arrive "
        'folded behind "This may be hurtful — show?".'
    )


class SafetySettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fold_hurtful: bool


@router.get("/safety/settings")
async def safety_settings(viewer: CurrentViewer, db: DB) -> SafetySettingsOut:
    return SafetySettingsOut(fold_hurtful=await folds_hurtful(db, viewer.id))


@router.put("/safety/settings")
async def save_safety_settings(
    body: SafetySettingsIn, viewer: CurrentViewer, db: DB
) -> SafetySettingsOut:
    await do_set_fold(db, viewer.id, body.fold_hurtful)
    return SafetySettingsOut(fold_hurtful=body.fold_hurtful)
