"""/api/v1/help: the help directory for the caller's language (the member's own, or the
``Accept-Language`` of someone not signed in). Public: help is for anyone."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from socialode.accounts.api import ERRORS, SIGNED_IN_OR_NOT
from socialode.accounts.deps import MaybeViewer
from socialode.platform.help_directory import HelpResource, help_for

router = APIRouter(prefix="/api/v1", responses=ERRORS)


class HelpResourceOut(BaseModel):
    name: str
    offers: str = Field(description="What it offers, in the entry's language.")
    region: str = Field(description="Where it serves.")
    phone: str | None = Field(description="A number to call, as written in the directory.")
    text: str | None = Field(description="A number to send a text message (SMS) to.")
    web: str | None = Field(description="An https address.")
    hours: str | None = Field(description="When it answers.")


class HelpOut(BaseModel):
    locale: str = Field(description="The language of these entries.")
    fallback: bool = Field(
        description="True when your language has no entries and English ones stand in."
    )
    crisis: list[HelpResourceOut] = Field(description="Someone to talk to now.")
    professional: list[HelpResourceOut] = Field(description="Finding professional help.")
    self_help: list[HelpResourceOut] = Field(description="Things to read or do on your own.")
    support_text: str = Field(description="Where else help is, in one sentence.")
    emergency_text: str = Field(description="What to do in danger now.")


def _out(resources: list[HelpResource]) -> list[HelpResourceOut]:
    return [HelpResourceOut(**r.as_json()) for r in resources]


@router.get("/help", tags=["help"], openapi_extra=SIGNED_IN_OR_NOT)
async def help_directory(request: Request, viewer: MaybeViewer) -> HelpOut:
    """Crisis lines, professional help and self-help for your language, from the
    operator's directory. Nothing about the call is kept."""
    found = help_for(request)
    return HelpOut(
        locale=found.locale,
        fallback=found.fallback,
        crisis=_out(found.crisis),
        professional=_out(found.professional),
        self_help=_out(found.self_help),
        support_text=found.support_text,
        emergency_text=found.emergency_text,
    )
