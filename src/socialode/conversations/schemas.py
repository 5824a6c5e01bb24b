"""Request and response shapes of the conversations API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from socialode.accounts.models import User
from socialode.conversations.access import ConversationView, ListedConversation
from socialode.conversations.access_chat import LastLine, Quoted
from socialode.conversations.models import Message
from socialode.conversations.payloads import photo_dict
from socialode.platform.pagination import Next
from socialode.safety.marks import marked_for_reader
from socialode.safety.schemas import PauseFields


class PersonShortOut(BaseModel):
    handle: str
    display_name: str

    @classmethod
    def of(cls, user: User) -> PersonShortOut:
        return cls(handle=user.handle, display_name=user.display_name)


class ReplyOut(BaseModel):
    """The message a reply answers, as you may see it."""

    id: int
    sender: PersonShortOut
    text: str = Field(description="Its first line; empty when deleted or a photo alone.")
    deleted: bool
    photo: bool
    folded: bool = Field(
        default=False,
        description="Sent anyway after a pause, and you fold such texts: the text then says so "
        "instead of the words.",
    )

    @classmethod
    def of(cls, quoted: Quoted) -> ReplyOut:
        return cls(
            id=quoted.id,
            sender=PersonShortOut.of(quoted.sender),
            text=quoted.text,
            deleted=quoted.deleted,
            photo=quoted.photo,
            folded=quoted.folded,
        )


class MessagePhotoOut(BaseModel):
    url: str = Field(description="The photo (JPEG), for whoever may see the message.")
    width: int
    height: int


class MessageOut(BaseModel):
    id: int
    conversation_id: int
    seq: int = Field(description="The message's place in its conversation's event sequence.")
    sender: PersonShortOut | None
    body: str = Field(description="The text as written; empty once deleted.")
    html: str = Field(description="The text as safe HTML with links made clickable.")
    created_at: datetime
    edited: bool
    deleted: bool
    quote: str | None = Field(
        default=None, description="The moment this message answers, quoted (gone if deleted)."
    )
    reply_to: ReplyOut | None = Field(
        default=None,
        description="The message of this conversation it replies to, when you may see it.",
    )
    photo: MessagePhotoOut | None = None
    may_hurt: bool = Field(
        default=False,
        description="Its sender sent it anyway after a pause: clients fold it behind "
        '"This may be hurtful — show?". Only its sender and readers who chose to fold such '
        "texts are told; for everyone else it is false.",
    )
    offer_help: bool = Field(
        default=False,
        description="Only in the answer to your own send: your words read as telling of being "
        "hurt; offer the way to help (/help).",
    )

    @classmethod
    def of(
        cls, message: Message, sender: User | None, quotes: dict[int, Quoted] | None = None
    ) -> MessageOut:
        deleted = message.deleted_at is not None
        quoted = (quotes or {}).get(message.reply_to_id or 0) if not deleted else None
        photo = photo_dict(message)
        return cls(
            id=message.id,
            conversation_id=message.conversation_id,
            seq=message.seq,
            sender=PersonShortOut.of(sender) if sender else None,
            body="" if deleted else message.body,
            html="" if deleted else message.body_html,
            created_at=message.created_at,
            edited=message.edited_at is not None,
            deleted=deleted,
            quote=(message.quote or None) if not deleted else None,
            reply_to=ReplyOut.of(quoted) if quoted else None,
            photo=MessagePhotoOut(**photo) if photo else None,
            may_hurt=marked_for_reader(message.paused, message.sender_id) and not deleted,
        )


class LastLineOut(BaseModel):
    """The newest message of a listed conversation you may see, in one line."""

    text: str = Field(
        description='Its first line; "Photo" for a photo alone; "Message deleted" once deleted.'
    )
    sender: PersonShortOut
    deleted: bool
    folded: bool = Field(
        default=False,
        description="Sent anyway after a pause, and you fold such texts: the text then says so "
        "instead of the words.",
    )


class ConversationOut(BaseModel):
    id: int
    kind: str
    name: str = Field(description="The group's name, or the other person's display name.")
    with_person: PersonShortOut | None = Field(description="The other person of a one-to-one.")
    member: bool = Field(description="False after you left or were removed (read-only).")
    departure: Literal["left", "removed"] | None = Field(
        default=None,
        description="While you are not a member: whether you left or the creator removed you. "
        "You then see the conversation as it was at that moment.",
    )
    creator: bool
    unread: bool | None = None
    last_seq: int = Field(description="The newest event you may see; resume the stream from it.")
    last_message: LastLineOut | None = Field(
        default=None, description="In the list only: the newest message you may see."
    )

    @classmethod
    def of(
        cls, view: ConversationView, viewer_id: int, unread: bool | None = None
    ) -> ConversationOut:
        other = view.other
        return cls(
            id=view.id,
            kind=view.conversation.kind,
            name=other.display_name if other else view.name,
            with_person=PersonShortOut.of(other) if other else None,
            member=view.is_member,
            departure=None if view.is_member else ("removed" if view.removed else "left"),
            creator=view.conversation.creator_id == viewer_id,
            unread=unread,
            last_seq=view.visible_seq,
        )

    @classmethod
    def listed(
        cls, item: ListedConversation, viewer_id: int, line: LastLine | None = None
    ) -> ConversationOut:
        out = cls.of(item.view, viewer_id, item.unread)
        if line is not None:
            out.last_message = LastLineOut(
                text=line.text,
                sender=PersonShortOut.of(line.sender),
                deleted=line.deleted,
                folded=line.folded,
            )
        return out


class ConversationPageOut(BaseModel):
    conversations: list[ConversationOut]
    next: Next


class ConversationDetailOut(ConversationOut):
    members: list[PersonShortOut]
    messages: list[MessageOut]
    next: str | None = Field(
        description="The cursor of earlier messages, passed back as `?cursor=`; null at the "
        "beginning of what you may see."
    )
    seen_by_other_seq: int | None = Field(
        default=None,
        description="One-to-one only, when both turned read receipts on: their read marker.",
    )
    sleep_line: str | None = Field(
        default=None,
        description='Who is resting now and will be told later, e.g. "Tom will see this in '
        'the morning." (only people who share it); null when everyone can be reached.',
    )


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DirectIn(In):
    handle: str = Field(max_length=100)


class GroupIn(In):
    name: str = Field(max_length=200)
    members: list[str] = Field(max_length=100, description="Handles of your connections.")


class RenameIn(In):
    name: str = Field(max_length=200)


class MemberIn(In):
    handle: str = Field(max_length=100)


class SendIn(In, PauseFields):
    client_key: str = Field(
        max_length=64,
        description="A key you generate per message (a UUID); a retry with the "
        "same key returns the stored message instead of sending it twice.",
    )
    body: str = Field(max_length=20000)
    reply_to: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="The id of a message of this conversation you can see, to reply to it.",
    )


class EditIn(In, PauseFields):
    body: str = Field(max_length=20000)


class ReadMarkerIn(In):
    seq: int = Field(ge=0, le=2**31 - 1)


class ReadOut(BaseModel):
    last_read_seq: int


class ChatSettingsIn(In):
    read_receipts: bool


class ChatSettingsOut(BaseModel):
    read_receipts: bool
