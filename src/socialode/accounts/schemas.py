"""Request and response shapes of the accounts API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from socialode.accounts.access import Viewer, WaitlistStatus, invite_state
from socialode.accounts.actions.auth import SignedIn
from socialode.accounts.actions.joining import welcome_text
from socialode.accounts.devices import describe_device
from socialode.accounts.models import Invite, Session, User, WaitlistEntry
from socialode.platform import i18n
from socialode.platform.pagination import Next


class FieldProblem(BaseModel):
    field: str
    message: str


class PauseOut(BaseModel):
    category: str = Field(
        description="What the words read as: threat, self_harm_taunt, harassment, exclusion "
        "or doxxing."
    )
    token: str = Field(
        description="Send it back as `pause_token` with the rephrased text, or "
        "with the same text and `send_anyway: true`."
    )
    choices: list[str] = Field(description="rephrase, discard or send_anyway.")


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong and how to fix it, in a sentence.")
    field: str | None = Field(description="The field to fix; null when no single one is at fault.")
    errors: list[FieldProblem] | None = None
    pause: PauseOut | None = Field(
        default=None,
        description="With 409 on a send: the words might hurt, and nothing was sent yet.",
    )


class NoticeOut(BaseModel):
    message: str


class WaitlistIn(BaseModel):
    email: str = Field(max_length=320)
    reason: str = Field(default="", max_length=2000, description="Why I want to join (optional).")


class WaitlistStatusOut(BaseModel):
    email: str
    joined_at: datetime
    invited_at: datetime | None
    place: int | None = Field(description="Your own place in line while you are waiting.")

    @classmethod
    def of(cls, status: WaitlistStatus) -> WaitlistStatusOut:
        return cls(
            email=status.email,
            joined_at=status.joined_at,
            invited_at=status.invited_at,
            place=status.place,
        )


class SignUpIn(BaseModel):
    invite_token: str = Field(max_length=200)
    handle: str = Field(max_length=100)
    display_name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    password: str = Field(max_length=1000)
    timezone: str = Field(default="UTC", max_length=64)
    connect: bool = Field(
        default=True,
        description="Be connected with the member whose invite this is (true by default); "
        "false to join without. Invites no member gave connect with nobody.",
    )

    @field_validator("connect", mode="before")
    @classmethod
    def connect_is_yes_or_no(cls, value: object) -> object:
        if not isinstance(value, bool):
            raise ValueError(
                "give true to be connected with who invited you, or false to join without"
            )
        return value


class LoginIn(BaseModel):
    login: str = Field(max_length=320, description="Your handle or email.")
    password: str = Field(max_length=1000)


class ProfileOut(BaseModel):
    handle: str
    display_name: str
    bio: str
    pronouns: str
    interests: list[str]
    timezone: str
    avatar_url: str | None
    role: str

    @classmethod
    def of(cls, user: User) -> ProfileOut:
        return cls(
            handle=user.handle,
            display_name=user.display_name,
            bio=user.bio,
            pronouns=user.pronouns,
            interests=list(user.interests or []),
            timezone=user.timezone,
            avatar_url=avatar_url(user),
            role=user.role,
        )


class MeOut(ProfileOut):
    email: str
    invites_left: int = Field(description="How many more people you can invite (yours only).")
    language: str = Field(description="The language Socialode speaks to you in.")
    languages: dict[str, str] = Field(description="The languages offered, by code.")

    @classmethod
    def of(cls, user: User) -> MeOut:
        base = ProfileOut.of(user).model_dump()
        return cls(
            **base,
            email=user.email,
            invites_left=user.invites_left,
            language=user.language,
            languages=dict(i18n.LANGUAGES),
        )


class SignedInOut(BaseModel):
    user: MeOut
    session_token: str = Field(description="Send as 'Authorization: Bearer <token>'.")


class SignedUpOut(SignedInOut):
    connection: Literal["connected", "not_made"] | None = Field(
        description="With the member who invited you: 'connected'; 'not_made' when it could "
        "not be made now (the message says why); null when none was offered or you chose "
        "not to."
    )
    message: str = Field(description="What happened, in a sentence to show the newcomer.")

    @classmethod
    def of(cls, done: SignedIn) -> SignedUpOut:
        connecting = done.connecting
        return cls(
            user=MeOut.of(done.user),
            session_token=done.token,
            connection=connecting.outcome if connecting else None,
            message=welcome_text(connecting),
        )


class ProfileUpdateIn(BaseModel):
    display_name: str | None = Field(default=None, max_length=200)
    bio: str | None = Field(default=None, max_length=2000)
    pronouns: str | None = Field(default=None, max_length=200)
    interests: list[str] | None = Field(default=None, max_length=50)
    timezone: str | None = Field(default=None, max_length=64)
    language: str | None = Field(
        default=None, max_length=16, description="A code from `languages`, such as `en`."
    )


class SessionOut(BaseModel):
    id: int
    device: str
    created_at: datetime
    last_seen_at: datetime
    current: bool

    @classmethod
    def of(cls, session: Session, viewer: Viewer) -> SessionOut:
        return cls(
            id=session.id,
            device=describe_device(session.user_agent),
            created_at=session.created_at,
            last_seen_at=session.last_seen_at,
            current=session.id == viewer.session.id,
        )


class PasswordChangeIn(BaseModel):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(max_length=1000)


class ResetRequestIn(BaseModel):
    email: str = Field(max_length=320)


class ResetConfirmIn(BaseModel):
    token: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class InviteIn(BaseModel):
    email: str = Field(default="", max_length=320, description="Optional: we email them the link.")


class SessionsOut(BaseModel):
    sessions: list[SessionOut] = Field(description="Most recently used first.")
    next: Next


class InviteOut(BaseModel):
    id: int
    email: str | None
    state: Literal["open", "used", "expired", "withdrawn"]
    created_at: datetime
    expires_at: datetime
    link: str | None = Field(default=None, description="Given once, when the invite is made.")

    @classmethod
    def of(cls, invite: Invite, link: str | None = None) -> InviteOut:
        return cls(
            id=invite.id,
            email=invite.email,
            state=invite_state(invite),
            created_at=invite.created_at,
            expires_at=invite.expires_at,
            link=link,
        )


class InviteCheckOut(BaseModel):
    valid: bool
    email: str | None
    invited_by: str | None = Field(
        default=None,
        description="The display name of the member who gave this invite; signing up with "
        "it connects you with them unless `connect` is false. Null for invites no member gave.",
    )


class ReleaseIn(BaseModel):
    count: int = Field(ge=1, le=500)


class ReleaseOut(BaseModel):
    released: int


class WaitlistEntryOut(BaseModel):
    id: int
    email: str
    reason: str
    joined_at: datetime
    invited_at: datetime | None

    @classmethod
    def of(cls, entry: WaitlistEntry) -> WaitlistEntryOut:
        return cls(
            id=entry.id,
            email=entry.email,
            reason=entry.reason,
            joined_at=entry.created_at,
            invited_at=entry.invited_at,
        )


class WaitlistPageOut(BaseModel):
    entries: list[WaitlistEntryOut]
    next: Next


class RoleIn(BaseModel):
    role: Literal["member", "moderator", "admin"]


def avatar_url(user: User, size: int = 256) -> str | None:
    return f"/media/avatars/{user.avatar_key}/{size}.jpg" if user.avatar_key else None


class InvitesOut(BaseModel):
    invites: list[InviteOut] = Field(description="Newest first.")
    next: Next
