"""The only writes of the conversations feature."""

from socialode.conversations.actions.conversations import (
    check_add_member,
    check_create_group,
    check_leave,
    check_open_direct,
    check_open_direct_created,
    check_remove_member,
    check_rename,
)
from socialode.conversations.actions.messages import (
    check_delete,
    check_edit,
    check_mark_read,
    check_send,
    do_delete,
    do_set_quotes,
    do_set_read_receipts,
)
from socialode.conversations.actions.sending import Sent

__all__ = [
    "Sent",
    "check_add_member",
    "check_create_group",
    "check_delete",
    "check_edit",
    "check_leave",
    "check_mark_read",
    "check_open_direct",
    "check_open_direct_created",
    "check_remove_member",
    "check_rename",
    "check_send",
    "do_delete",
    "do_set_quotes",
    "do_set_read_receipts",
]
