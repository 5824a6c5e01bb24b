"""Message text: cleaned on the way in, rendered once to safe HTML with clickable links."""

from __future__ import annotations

import re
import unicodedata

import nh3
from markupsafe import escape

from socialode.platform.errors import Invalid
from socialode.platform.i18n import N_, _, number

# Control characters other than newline and tab, and the bidirectional overrides that can
# make text read differently from what it says.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?'\""
LINK_REL = "nofollow noopener noreferrer ugc"


def clean_body(text: str, max_chars: int, field: str = "body") -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text).strip()
    if not text:
        raise Invalid(N_("Write something before sending."), field)
    if len(text) > max_chars:
        raise Invalid(
            _(
                "Messages can be up to %(most)s characters; this one has %(count)s. "
                "Split it into two, or shorten it."
            )
            % {"most": number(max_chars), "count": number(len(text))},
            field,
        )
    return text


def _split_url(candidate: str) -> tuple[str, str]:
    """A URL without the punctuation that ends the sentence around it."""
    url = candidate
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url, candidate[len(url) :]


def to_html(text: str) -> str:
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        url, rest = _split_url(match.group(0))
        parts.append(str(escape(text[last : match.start()])))
        href = url if url.lower().startswith("http") else f"https://{url}"
        parts.append(f'<a href="{escape(href)}">{escape(url)}</a>{escape(rest)}')
        last = match.end()
    parts.append(str(escape(text[last:])))
    html = "".join(parts).replace("\n", "<br>")
    # The escaping above is the guarantee; nh3 is the second lock on the door.
    return nh3.clean(
        html,
        tags={"a", "br"},
        attributes={"a": {"href"}},
        link_rel=LINK_REL,
        url_schemes={"http", "https"},
    )
