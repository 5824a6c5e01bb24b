"""The only writes of the circles feature. ``check_*`` validates, then calls ``do_*``."""

from socialode.circles.actions.blocks import (
    check_block,
    check_mute,
    do_block,
    do_unblock,
    do_unmute,
)
from socialode.circles.actions.circles import (
    check_add_to_circle,
    check_create_circle,
    check_rename_circle,
    do_create_circle,
    do_delete_circle,
    do_remove_from_circle,
)
from socialode.circles.actions.connections import (
    Sent,
    check_accept_request,
    check_send_request,
    do_connect,
    do_decline_request,
    do_remove_connection,
    do_send_request,
    do_withdraw_request,
)
from socialode.circles.actions.invited import do_connect_invited

__all__ = [
    "Sent",
    "check_accept_request",
    "check_add_to_circle",
    "check_block",
    "check_create_circle",
    "check_mute",
    "check_rename_circle",
    "check_send_request",
    "do_block",
    "do_connect",
    "do_connect_invited",
    "do_create_circle",
    "do_decline_request",
    "do_delete_circle",
    "do_remove_connection",
    "do_remove_from_circle",
    "do_send_request",
    "do_unblock",
    "do_unmute",
    "do_withdraw_request",
]
