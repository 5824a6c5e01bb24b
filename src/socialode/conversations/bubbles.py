"""How a page of messages reads as a chat: day separators, runs of one person's messages
grouped (their name and face once, at the top of the run), and the "New" divider above the
first unread message. static/chat.js follows the same rules for messages that arrive live.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from socialode.accounts.models import User
from socialode.conversations.access import ConversationView
from socialode.conversations.access_chat import Quoted
from socialode.conversations.models import Message

RUN_GAP = timedelta(minutes=5)  # a longer pause starts a new run, even from the same person


@dataclass(frozen=True)
class GroupFace:
    """What ``face()`` needs to draw a group's monogram (from its name, a stable colour)."""

    id: int
    display_name: str
    handle: str = ""
    avatar_key: None = None


def group_face(view: ConversationView) -> GroupFace:
    return GroupFace(view.id, view.name)


@dataclass(frozen=True)
class Bubble:
    message: Message
    sender: User
    mine: bool
    first: bool  # the first of a run: the sender's name and face are shown on it (groups)
    day: str | None  # a day separator shown above it
    new: bool  # the "New" divider is shown above it
    quoted: Quoted | None  # the message it replies to, as the reader may see it


def arrange(
    rows: Sequence[tuple[Message, User]],
    viewer_id: int,
    day_of: Callable[[datetime], str],
    *,
    read_upto: int | None = None,
    quotes: dict[int, Quoted] | None = None,
) -> list[Bubble]:
    """The page's messages as bubbles, oldest first. ``read_upto`` is the reader's marker
    before this visit: the first later message from someone else gets the divider."""
    out: list[Bubble] = []
    last_day: str | None = None
    previous: Message | None = None
    divided = read_upto is None
    for message, sender in rows:
        day = day_of(message.created_at)
        new = (
            not divided
            and message.seq > (read_upto or 0)
            and message.sender_id != viewer_id
            and message.deleted_at is None
        )
        divided = divided or new
        first = (
            previous is None
            or day != last_day
            or new
            or previous.sender_id != message.sender_id
            or message.created_at - previous.created_at > RUN_GAP
        )
        reply = (quotes or {}).get(message.reply_to_id or 0)
        out.append(
            Bubble(
                message,
                sender,
                message.sender_id == viewer_id,
                first,
                day if day != last_day else None,
                new,
                reply if message.deleted_at is None else None,
            )
        )
        last_day, previous = day, message
    return out
