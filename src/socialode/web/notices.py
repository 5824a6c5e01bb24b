"""A short confirmation after an action that names who or what it was about.

``?notice=<key>`` shows a fixed sentence (``templating.NOTICES``). When the sentence names a
person or a circle ("Maya is no longer in your connections"), the server signs the sentence
and passes it as ``?said=<signed>``; the next page shows it only when the signature holds and
it is at most ``MAX_AGE`` seconds old. Nothing typed into an address bar can appear this way.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from itsdangerous import BadSignature, URLSafeTimedSerializer

MAX_AGE = 600
MAX_TEXT = 300


def _signer(request: Request) -> URLSafeTimedSerializer:
    key = request.app.state.services.settings.resolved_secret_key
    return URLSafeTimedSerializer(key, salt="socialode.notice")


def with_notice(request: Request, url: str, text: str) -> str:
    """``url`` with a signed notice the page it leads to shows once."""
    signed = _signer(request).dumps(text[:MAX_TEXT])
    return f"{url}{'&' if '?' in url else '?'}said={signed}"


def tell(request: Request, url: str, text: str) -> RedirectResponse:
    """Go to ``url`` (303) and say ``text`` there."""
    return RedirectResponse(with_notice(request, url, text), status_code=303)


def said(request: Request) -> str | None:
    """The signed notice of this request, when there is a valid one."""
    value = request.query_params.get("said")
    if not value or len(value) > 2 * MAX_TEXT + 100:
        return None
    try:
        text = _signer(request).loads(value, max_age=MAX_AGE)
    except BadSignature:
        return None
    return text[:MAX_TEXT] if isinstance(text, str) else None
