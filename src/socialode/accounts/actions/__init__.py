"""The only writes of the accounts feature. ``check_*`` validates, then calls ``do_*``."""

from socialode.accounts.actions.auth import (
    check_change_password,
    check_login,
    check_request_reset,
    check_reset_password,
    check_sign_up,
    do_end_session,
    do_logout,
    do_touch_session,
)
from socialode.accounts.actions.avatar_uploads import check_carry_avatar, pending_preview
from socialode.accounts.actions.invites import (
    check_member_invite,
    do_create_first_admin_link,
    do_issue_operator_invite,
    do_revoke_invite,
)
from socialode.accounts.actions.profile import (
    check_create_admin,
    check_retry_job,
    check_set_avatar,
    check_set_role,
    check_update_profile,
    do_remove_avatar,
)
from socialode.accounts.actions.waitlist import check_join_waitlist, do_release_invites

__all__ = [
    "check_carry_avatar",
    "check_change_password",
    "check_create_admin",
    "check_join_waitlist",
    "check_login",
    "check_member_invite",
    "check_request_reset",
    "check_reset_password",
    "check_retry_job",
    "check_set_avatar",
    "check_set_role",
    "check_sign_up",
    "check_update_profile",
    "do_create_first_admin_link",
    "do_end_session",
    "do_issue_operator_invite",
    "do_logout",
    "do_release_invites",
    "do_remove_avatar",
    "do_revoke_invite",
    "do_touch_session",
    "pending_preview",
]
