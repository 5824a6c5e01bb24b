"""The only writes of the moments feature."""

from socialode.moments.actions.answers import check_answer
from socialode.moments.actions.changes import check_close_support, check_edit, do_delete, do_remove
from socialode.moments.actions.feed import FeedRead, check_read_feed, do_mark_caught_up
from socialode.moments.actions.photos import (
    MAX_PHOTOS,
    PhotoChoice,
    check_carry_photo,
    check_carry_photos,
    check_upload_photo,
    do_discard_photo,
    photo_path,
)
from socialode.moments.actions.posting import check_ask_support, check_post
from socialode.moments.actions.prompts import (
    check_answer_prompt,
    check_set_prompt,
    do_set_aside,
)
from socialode.moments.actions.settings import check_set_reflection, own_settings

__all__ = [
    "MAX_PHOTOS",
    "FeedRead",
    "PhotoChoice",
    "check_answer",
    "check_answer_prompt",
    "check_ask_support",
    "check_carry_photo",
    "check_carry_photos",
    "check_close_support",
    "check_edit",
    "check_post",
    "check_read_feed",
    "check_set_prompt",
    "check_set_reflection",
    "check_upload_photo",
    "do_delete",
    "do_discard_photo",
    "do_mark_caught_up",
    "do_remove",
    "do_set_aside",
    "own_settings",
    "photo_path",
]
