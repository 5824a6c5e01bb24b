"""Request and response shapes of moderation's API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from socialode.accounts.models import User
from socialode.moderation.access import Listed, ReportDetail
from socialode.moderation.models import AuditEntry, Report
from socialode.platform.i18n import N_

NEXT = N_(
    "Thank you. A moderator will look at it, with what was around it when you reported it. "
    "The person you reported is never told who reported it. If you need distance now, you can "
    "block them: neither of you will see or reach the other."
)


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(max_length=20, description="message, moment, profile, gathering or group.")
    id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="Not for a profile.")
    handle: str = Field(default="", max_length=100, description="Only for a profile.")
    reason: str = Field(
        max_length=20, description="bullying, threats, self_harm, hate, spam or other."
    )
    note: str = Field(default="", max_length=5000, description="Up to 1,000 characters.")


class FiledOut(BaseModel):
    id: int
    state: str
    merged: bool = Field(description="You had reported it already: this was added to that.")
    next: str = Field(description="What happens next, in a sentence.")


class OwnReportOut(BaseModel):
    id: int
    kind: str
    reason: str
    state: Literal["open", "in_review", "resolved"]
    standing: str = Field(
        description="Where it stands, in a sentence: what came of it once decided, in general "
        "words (never the moderator's reason)."
    )
    created_at: datetime
    decided_at: datetime | None


class OwnReportsOut(BaseModel):
    reports: list[OwnReportOut]
    next: str | None = Field(description="Earlier reports, as `?cursor=`; null at the end.")


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["dismiss", "remove", "warn", "suspend", "ban", "care"]
    reason: str = Field(max_length=2000, description="Told to the person in plain words.")
    days: int | None = Field(default=None, ge=1, le=365, description="Only to suspend.")


class ReportedPersonOut(BaseModel):
    handle: str
    display_name: str

    @classmethod
    def of(cls, user: User) -> ReportedPersonOut:
        return cls(handle=user.handle, display_name=user.display_name)


class ReportOut(BaseModel):
    id: int
    kind: str
    reason: str
    state: str
    outcome: str | None
    subject: ReportedPersonOut
    created_at: datetime

    @classmethod
    def of(cls, item: Listed) -> ReportOut:
        r = item.report
        return cls(
            id=r.id,
            kind=r.kind,
            reason=r.reason,
            state=r.state,
            outcome=r.outcome,
            subject=ReportedPersonOut.of(item.subject),
            created_at=r.created_at,
        )


class QueueOut(BaseModel):
    reports: list[ReportOut]
    next: str | None


class EarlierOut(BaseModel):
    id: int
    kind: str
    reason: str
    outcome: str | None
    created_at: datetime


class ReportDetailOut(ReportOut):
    note: str
    context: dict[str, Any] = Field(description="What the reporter could see, and the words.")
    assessment: str = Field(description="What the detector read in the words, when reported.")
    paused: str | None = Field(description="What the sender chose at a pause before sending.")
    decision: str
    earlier: list[EarlierOut] = Field(description="Earlier reports about the same person.")
    others_on_it: int = Field(description="Other open reports of the same thing.")

    @classmethod
    def of_detail(cls, d: ReportDetail) -> ReportDetailOut:
        r = d.report
        return cls(
            **ReportOut.of(Listed(r, d.subject)).model_dump(),
            note=r.note,
            context=r.context,
            assessment=r.assessment,
            paused=r.paused,
            decision=r.decision,
            earlier=[
                EarlierOut(
                    id=e.id,
                    kind=e.kind,
                    reason=e.reason,
                    outcome=e.outcome,
                    created_at=e.created_at,
                )
                for e in d.earlier
            ],
            others_on_it=d.others_on_it,
        )


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor_id: int
    action: str
    report_id: int | None
    subject_id: int | None
    reason: str

    @classmethod
    def of(cls, e: AuditEntry) -> AuditOut:
        return cls(
            id=e.id,
            at=e.at,
            actor_id=e.actor_id,
            action=e.action,
            report_id=e.report_id,
            subject_id=e.subject_id,
            reason=e.reason,
        )


class AuditPageOut(BaseModel):
    entries: list[AuditOut]
    next: str | None


class DecisionOut(BaseModel):
    """A decision about you, as told to you."""

    id: int
    about: str
    outcome: str
    reason: str
    decided_at: datetime | None

    @classmethod
    def of(cls, r: Report) -> DecisionOut:
        return cls(
            id=r.id,
            about=r.kind,
            outcome=r.outcome or "",
            reason=r.decision,
            decided_at=r.decided_at,
        )
