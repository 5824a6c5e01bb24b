"""Where a link to a conversation leads: to its first unread message, or to its newest.

Every page of a conversation has an element with the id ``first-unread``: the "New" divider
when something is unread, otherwise a mark after the newest message. A link ending in
``#first-unread`` therefore opens where the reader left off, without JavaScript too.
"""

from __future__ import annotations


def opening_url(conversation_id: int) -> str:
    return f"/conversations/{conversation_id}#first-unread"
