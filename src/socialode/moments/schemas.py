"""Request and response shapes of the moments API. No shape here carries a count."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from socialode.conversations.schemas import MessageOut, PersonShortOut
from socialode.moments.access import Audience, MomentView
from socialode.moments.actions.photos import PhotoChoice
from socialode.moments.models import MomentPhoto, MomentSettings
from socialode.moments.payloads import moment_dict
from socialode.moments.prompts import PromptSetting, TodayPrompt
from socialode.platform.deps import MAX_ID
from socialode.platform.pagination import Next
from socialode.safety.marks import marked_for_reader
from socialode.safety.schemas import PauseFields

CircleId = Annotated[int, Field(ge=1, le=MAX_ID)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PhotoIn(In):
    id: int = Field(ge=1, le=MAX_ID, description="The id /moments/photos gave the upload.")
    alt: str = Field(
        default="",
        max_length=5000,
        description="What the photo shows, for people who cannot see it (up to 500 "
        "characters); used as its alternative text.",
    )


class MomentIn(In, PauseFields):
    body: str = Field(max_length=20000, description="Up to 1,000 characters.")
    circles: list[CircleId] = Field(default=[], max_length=1000, description="Ids of your circles.")
    people: list[str] = Field(
        default=[], max_length=1000, description="Handles of connections chosen by name."
    )
    content_note: str = Field(
        default="", max_length=1000, description="A gentle note; the moment is folded behind it."
    )
    photos: list[PhotoIn] = Field(
        default=[],
        max_length=100,
        description="Up to 4 photos you uploaded to /moments/photos, in the order they are "
        "shown, each with an optional description. With a photo, the words may be empty.",
    )
    photo_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="Deprecated: one uploaded photo, the same as ``photos: [{id}]``.",
    )

    def photo_choices(self) -> list[PhotoChoice]:
        chosen = [PhotoChoice(p.id, p.alt) for p in self.photos]
        return [PhotoChoice(self.photo_id), *chosen] if self.photo_id else chosen


class SupportIn(In, PauseFields):
    body: str = Field(default="", max_length=20000)
    supporters: list[str] = Field(max_length=1000, description="Handles of a few connections.")


class MomentEditIn(In, PauseFields):
    body: str = Field(max_length=20000)
    content_note: str | None = Field(default=None, max_length=1000)


class AnswerIn(In, PauseFields):
    body: str = Field(max_length=20000)
    client_key: str = Field(max_length=64, description="A key per answer (a UUID).")


class PhotoOut(BaseModel):
    url: str
    width: int
    height: int
    alt: str = Field(description="Its alternative text: the description, or whose photo it is.")
    description: str | None = Field(description="The author's own description, if any.")


class AudienceOut(BaseModel):
    circles: list[str]
    people: list[PersonShortOut]

    @classmethod
    def of(cls, audience: Audience) -> AudienceOut:
        return cls(circles=audience.circles, people=[PersonShortOut.of(u) for u in audience.people])


class MomentOut(BaseModel):
    id: int
    kind: str = Field(description="moment, prompt (an answer to a daily question) or support.")
    author: PersonShortOut
    body: str
    html: str
    content_note: str | None
    prompt: str | None = Field(description="The question this moment answers, if any.")
    photos: list[PhotoOut] = Field(description="Up to 4, in the order the author chose.")
    photo: PhotoOut | None = Field(description="Deprecated: the first of ``photos``.")
    created_at: datetime
    edited: bool
    closed: bool = Field(description="A request for support its author closed.")
    url: str
    own: bool
    audience: AudienceOut | None = Field(
        default=None, description="Only on your own moments: whom you shared it with."
    )
    may_hurt: bool = Field(
        default=False,
        description="Its author shared it anyway after a pause: clients fold it behind "
        '"This may be hurtful — show?" for members who chose that.',
    )
    offer_help: bool = Field(
        default=False,
        description="Only in the answer to sharing it: the words read as telling of being "
        "hurt; offer the way to help (/help).",
    )

    @classmethod
    def of(cls, view: MomentView, audience: Audience | None = None) -> MomentOut:
        data: dict[str, Any] = moment_dict(view)
        data["may_hurt"] = marked_for_reader(view.moment.paused, view.moment.author_id)
        return cls(
            **data,
            own=view.own,
            audience=AudienceOut.of(audience) if audience else None,
            offer_help=view.offer_help,
        )


class FeedOut(BaseModel):
    moments: list[MomentOut]
    next: Next
    caught_up: bool = Field(description="True on the last page: there is nothing more.")


class UploadOut(BaseModel):
    id: int
    width: int
    height: int

    @classmethod
    def of(cls, photo: MomentPhoto) -> UploadOut:
        return cls(id=photo.id, width=photo.width, height=photo.height)


class AnswerOut(BaseModel):
    conversation_id: int
    message: MessageOut
    duplicate: bool


class PromptOut(BaseModel):
    circle_id: int
    question: str
    asked_by: PersonShortOut
    own: bool
    circle_name: str | None = Field(description="Only on your own circles.")

    @classmethod
    def of(cls, prompt: TodayPrompt) -> PromptOut:
        return cls(
            circle_id=prompt.circle_id,
            question=prompt.question,
            asked_by=PersonShortOut.of(prompt.owner),
            own=prompt.own,
            circle_name=prompt.circle_name or None,
        )


class PromptsOut(BaseModel):
    prompts: list[PromptOut] = Field(description="Your own circles' first, then others'.")
    next: Next


class PromptAnswerIn(In, PauseFields):
    body: str = Field(max_length=20000)
    content_note: str = Field(default="", max_length=1000)


class PromptSettingIn(In):
    enabled: bool
    question: str | None = Field(
        default=None,
        max_length=2000,
        description="Today's question in your words; empty to use the shipped list.",
    )


class PromptSettingOut(BaseModel):
    circle_id: int
    enabled: bool
    question: str
    written_by_you: bool

    @classmethod
    def of(cls, setting: PromptSetting) -> PromptSettingOut:
        return cls(
            circle_id=setting.circle.id,
            enabled=setting.enabled,
            question=setting.question,
            written_by_you=setting.written_by_owner,
        )


class ReflectionIn(In):
    enabled: bool
    text: str | None = Field(default=None, max_length=2000)


class ReflectionOut(BaseModel):
    enabled: bool
    text: str

    @classmethod
    def of(cls, settings: MomentSettings) -> ReflectionOut:
        return cls(enabled=settings.reflection_enabled, text=settings.reflection_text)
