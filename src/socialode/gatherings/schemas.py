"""Request and response models of /api/v1/gatherings."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from socialode.accounts.models import User
from socialode.gatherings.access import GatheringView, Listed, Listing, folded_fields
from socialode.gatherings.access_felt import Felt
from socialode.platform.pagination import Next
from socialode.safety.marks import marked_for_reader
from socialode.safety.schemas import PauseFields

AnswerValue = Literal["yes", "if_needed", "no"]
RsvpValue = Literal["going", "maybe", "no"]


FieldName = Literal["title", "description", "place"]


def parts_for_reader(paused: str | None, organiser_id: int) -> list[FieldName]:
    """The fields folded for the reader of this request (``safety.marks.marked_for_reader``)."""
    if not marked_for_reader(paused, organiser_id):
        return []
    return [name for name in ("title", "description", "place") if name in folded_fields(paused)]


class TimeIn(BaseModel):
    starts_at: datetime = Field(description="ISO 8601; without an offset, in your time zone.")
    ends_at: datetime


class GatheringIn(PauseFields):
    title: str = Field(max_length=1000)
    description: str = Field(default="", max_length=10000)
    place: str = Field(default="", max_length=1000)
    map_url: str = Field(default="", max_length=2000)
    circle: int | None = Field(default=None, ge=1, le=2**31 - 1, description="One of your circles.")
    people: list[str] = Field(default=[], max_length=200, description="Handles of connections.")
    times: list[TimeIn] = Field(max_length=50, description="One fixed time, or 2-10 to poll.")
    poll_closes_at: datetime | None = Field(
        default=None, description="When the poll picks the best time by itself (optional)."
    )


class MorePeopleIn(BaseModel):
    circle: int | None = Field(default=None, ge=1, le=2**31 - 1, description="One of your circles.")
    people: list[str] = Field(default=[], max_length=200, description="Handles of connections.")


class DetailsIn(PauseFields):
    title: str = Field(max_length=1000)
    description: str = Field(default="", max_length=10000)
    place: str = Field(default="", max_length=1000)
    map_url: str = Field(default="", max_length=2000)


class AnswersIn(BaseModel):
    answers: dict[int, AnswerValue] = Field(max_length=50, description="Time option id → answer.")


class PickIn(BaseModel):
    option: int = Field(ge=1, le=2**31 - 1)


class RsvpIn(BaseModel):
    rsvp: RsvpValue


class FeltIn(BaseModel):
    score: int | None = Field(default=None, description="1 (not good) to 5 (very good).")
    words: str = Field(default="", max_length=5000)


class SuggestAgainIn(BaseModel):
    on: bool


class GatheringPersonOut(BaseModel):
    handle: str
    display_name: str

    @classmethod
    def of(cls, user: User) -> GatheringPersonOut:
        return cls(handle=user.handle, display_name=user.display_name)


class GuestOut(GatheringPersonOut):
    rsvp: Literal["", "going", "maybe", "no"]
    organiser: bool


class TimeOptionOut(BaseModel):
    id: int
    starts_at: datetime
    ends_at: datetime
    answers: dict[str, AnswerValue] = Field(description="Handle → answer, for those invited.")


class GatheringOut(BaseModel):
    id: int
    title: str
    description: str
    place: str
    map_url: str
    state: Literal["polling", "fixed", "cancelled"]
    starts_at: datetime | None
    ends_at: datetime | None
    time_zone: str = Field(description="The organiser's, which the calendar file carries.")
    poll_closes_at: datetime | None
    sequence: int
    organiser: GatheringPersonOut
    guests: list[GuestOut]
    options: list[TimeOptionOut]
    your_rsvp: Literal["", "going", "maybe", "no"]
    suggest_again: bool | None = Field(description="The organiser's choice; null for others.")
    conversation_id: int | None
    may_hurt: bool = Field(
        default=False,
        description="Its organiser proposed or changed it anyway after a pause: clients fold "
        'the fields in may_hurt_parts behind "This may be hurtful — show?" for invitees who '
        "chose that (never for the organiser).",
    )
    may_hurt_parts: list[FieldName] = Field(
        default_factory=list,
        description="With may_hurt: which fields carry those words (all three when that is "
        "not known); empty otherwise.",
    )

    @classmethod
    def of(cls, view: GatheringView) -> GatheringOut:
        g = view.gathering
        handles = {guest.user.id: guest.user.handle for guest in view.guests}
        return cls(
            id=g.id,
            title=g.title,
            description=g.description,
            place=g.place,
            map_url=g.map_url,
            state=g.state,
            starts_at=g.starts_at,
            ends_at=g.ends_at,
            time_zone=g.zone,
            poll_closes_at=g.poll_closes_at,
            sequence=g.sequence,
            may_hurt=marked_for_reader(g.paused, g.organiser_id),
            may_hurt_parts=parts_for_reader(g.paused, g.organiser_id),
            organiser=GatheringPersonOut.of(view.organiser),
            guests=[
                GuestOut(
                    handle=x.user.handle,
                    display_name=x.user.display_name,
                    rsvp=x.rsvp,
                    organiser=x.organiser,
                )
                for x in view.guests
            ],
            options=[
                TimeOptionOut(
                    id=o.option.id,
                    starts_at=o.option.starts_at,
                    ends_at=o.option.ends_at,
                    answers={handles[u]: a for u, a in o.answers.items() if u in handles},
                )
                for o in view.options
            ],
            your_rsvp=view.me.rsvp,
            suggest_again=g.suggest_again if view.is_organiser else None,
            conversation_id=g.conversation_id,
        )


class CreatedOut(BaseModel):
    gathering: GatheringOut
    left_out: list[GatheringPersonOut] = Field(
        description="Invited people who could not be added to this gathering."
    )


class ListedOut(BaseModel):
    id: int
    title: str
    state: Literal["polling", "fixed", "cancelled"]
    starts_at: datetime | None
    organiser: GatheringPersonOut
    your_rsvp: Literal["", "going", "maybe", "no"]
    may_hurt: bool = Field(default=False, description="As on a gathering.")
    may_hurt_parts: list[FieldName] = Field(default_factory=list, description="As on a gathering.")

    @classmethod
    def of(cls, item: Listed) -> ListedOut:
        g = item.gathering
        return cls(
            id=g.id,
            title=g.title,
            state=g.state,
            starts_at=g.starts_at,
            organiser=GatheringPersonOut.of(item.organiser),
            your_rsvp=item.rsvp,
            may_hurt=marked_for_reader(g.paused, g.organiser_id),
            may_hurt_parts=parts_for_reader(g.paused, g.organiser_id),
        )


class ListingOut(BaseModel):
    coming: list[ListedOut] = Field(description="On the first page only: all still to come.")
    past: list[ListedOut]
    next: Next

    @classmethod
    def of(cls, listing: Listing, following: str | None) -> ListingOut:
        return cls(
            coming=[ListedOut.of(i) for i in listing.coming],
            past=[ListedOut.of(i) for i in listing.past],
            next=following,
        )


class FeltOut(BaseModel):
    score: int | None
    words: str
    answered_at: datetime

    @classmethod
    def of(cls, felt: Felt) -> FeltOut:
        return cls(score=felt.score, words=felt.words, answered_at=felt.taken_at)


class GatheringConversationOut(BaseModel):
    conversation_id: int


class CalendarAddressOut(BaseModel):
    url: str = Field(description="Your private calendar address: anyone with it sees it.")
