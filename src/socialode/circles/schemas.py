"""Request and response shapes of the circles API. None of them carries a count."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from socialode.accounts.models import User
from socialode.circles.access import (
    CircleView,
    ConnectionView,
    PersonSince,
    RequestView,
    request_expires_at,
)
from socialode.circles.access_people import Person
from socialode.circles.access_search import SHOWN, Found, FoundPerson
from socialode.circles.actions import Sent
from socialode.platform.deps import MAX_ID
from socialode.platform.pagination import Next


class StrictIn(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestIn(StrictIn):
    handle: str | None = Field(
        default=None, max_length=100, description="Who to ask, such as 'ada' or '@ada'."
    )
    invite_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Or: an invite of yours that they used."
    )
    note: str = Field(default="", max_length=1000, description="Optional, up to 280 characters.")

    @model_validator(mode="after")
    def one_target(self) -> RequestIn:
        if (self.handle is None) == (self.invite_id is None):
            raise ValueError("give either 'handle' or 'invite_id', not both and not neither")
        return self


class CircleIn(StrictIn):
    name: str = Field(max_length=200, description="1 to 60 characters, unique among yours.")


def avatar_url(user: User, size: int = 256) -> str | None:
    """The photo through the people route, which applies the whole-profile rule."""
    return f"/api/v1/people/{user.handle}/avatar/{size}" if user.avatar_key else None


class PersonBrief(BaseModel):
    handle: str
    display_name: str

    @classmethod
    def of(cls, user: User) -> PersonBrief:
        return cls(handle=user.handle, display_name=user.display_name)


class ConnectionOut(PersonBrief):
    avatar_url: str | None
    connected_at: datetime
    muted: bool = Field(description="Whether you muted them (yours only).")

    @classmethod
    def of_view(cls, view: ConnectionView) -> ConnectionOut:
        return cls(
            handle=view.user.handle,
            display_name=view.user.display_name,
            avatar_url=avatar_url(view.user),
            connected_at=view.since,
            muted=view.muted,
        )


class RequestOut(BaseModel):
    id: int
    person: PersonBrief = Field(description="Who sent it (incoming) or who it is for (outgoing).")
    note: str
    sent_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, view: RequestView, ttl_days: int) -> RequestOut:
        return cls(
            id=view.request.id,
            person=PersonBrief.of(view.other),
            note=view.request.note,
            sent_at=view.request.created_at,
            expires_at=request_expires_at(view.request, ttl_days),
        )


class ConnectionsOut(BaseModel):
    connections: list[ConnectionOut] = Field(description="By display name.")
    next: Next


class RequestsOut(BaseModel):
    incoming: list[RequestOut] = Field(description="Waiting for your answer, oldest first.")
    outgoing: list[RequestOut] = Field(
        description="Waiting for their answer, oldest first; they follow the incoming ones, "
        "so a page may hold some of either."
    )
    next: Next


class SentOut(BaseModel):
    outcome: Literal["sent", "connected"] = Field(
        description="'connected' when they had already asked you: their request is accepted."
    )
    message: str
    request: RequestOut | None

    @classmethod
    def of(cls, sent: Sent, ttl_days: int) -> SentOut:
        if sent.request is None:
            message = f"You are now connected with {sent.other.display_name}."
            return cls(outcome="connected", message=message, request=None)
        view = RequestView(sent.request, sent.other)
        return cls(outcome="sent", message="Request sent.", request=RequestOut.of(view, ttl_days))


class CircleOut(BaseModel):
    id: int
    name: str
    created_at: datetime
    members: list[PersonBrief] = Field(description="By display name; only you see them.")

    @classmethod
    def of(cls, view: CircleView) -> CircleOut:
        return cls(
            id=view.circle.id,
            name=view.circle.name,
            created_at=view.circle.created_at,
            members=[PersonBrief.of(u) for u in view.members],
        )


class CirclesOut(BaseModel):
    circles: list[CircleOut] = Field(description="By name.")
    next: Next


class PersonSinceOut(PersonBrief):
    since: datetime

    @classmethod
    def of_since(cls, found: PersonSince) -> PersonSinceOut:
        return cls(
            handle=found.user.handle, display_name=found.user.display_name, since=found.since
        )


class BlocksOut(BaseModel):
    blocks: list[PersonSinceOut] = Field(description="The people you blocked, oldest first.")
    next: Next


class MutesOut(BaseModel):
    mutes: list[PersonSinceOut] = Field(description="The people you muted, by display name.")
    next: Next


class ProfileDetails(BaseModel):
    pronouns: str
    bio: str
    interests: list[str]
    avatar_url: str | None


class PersonOut(PersonBrief):
    relation: Literal["you", "connected", "none"]
    request: Literal["sent", "received"] | None = Field(
        description="A request between you that is waiting: one you sent, or one you received."
    )
    request_id: int | None
    request_note: str | None = Field(
        description="The note of the waiting request, in its sender's words (null without one)."
    )
    muted: bool = Field(description="Whether you muted them (yours only).")
    profile: ProfileDetails | None = Field(
        description="The whole profile, for yourself, your connections and administrators."
    )

    @classmethod
    def of_person(cls, person: Person) -> PersonOut:
        user = person.user
        details = None
        if person.full:
            details = ProfileDetails(
                pronouns=user.pronouns,
                bio=user.bio,
                interests=list(user.interests or []),
                avatar_url=avatar_url(user),
            )
        return cls(
            handle=user.handle,
            display_name=user.display_name,
            relation=person.relation,
            request=person.request,
            request_id=person.request_id,
            request_note=person.request_note or None,
            muted=person.muted,
            profile=details,
        )


class FoundPersonOut(PersonBrief):
    avatar_url: str | None = Field(description="Their photo, where the profile rule allows it.")

    @classmethod
    def of_found(cls, found: FoundPerson) -> FoundPersonOut:
        # The same address as avatar_url(); the photo route applies the rule again.
        photo = f"/api/v1/people/{found.handle}/avatar/256" if found.avatar_key else None
        return cls(handle=found.handle, display_name=found.display_name, avatar_url=photo)


class FoundCircleOut(BaseModel):
    id: int
    name: str


class SearchOut(BaseModel):
    query: str = Field(description="What was searched, trimmed, its spaces collapsed.")
    people: list[FoundPersonOut] = Field(
        description=f"Your connections whose name or handle matches, by name; at most {SHOWN}."
    )
    circles: list[FoundCircleOut] = Field(
        description=f"Your circles whose name matches, by name; at most {SHOWN}."
    )
    more: bool = Field(
        description="More of yours match than are listed: type more to narrow it. The list "
        "ends here; there is no next page."
    )

    @classmethod
    def of(cls, found: Found) -> SearchOut:
        return cls(
            query=found.query,
            people=[FoundPersonOut.of_found(p) for p in found.people],
            circles=[FoundCircleOut(id=c.id, name=c.name) for c in found.circles],
            more=found.more,
        )
