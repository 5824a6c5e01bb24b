"""A short confirmation after an action that names who or what it was about.

``?notice=<key>`` shows a fixed sentence (``templating.NOTICES``). When the sentence names a
person or a circle ("Maya is no longer in your connections"), the server signs the sentence
and hands it over in a short-lived cookie on the redirect (``tell``); the next page shows it
once, only when the signature holds and it is at most ``MAX_AGE`` seconds old, and clears the
cookie (``forget``). Addresses stay clean, and nothing typed into an address bar or set by
another site can appear this way.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "socialode_said"
MAX_AGE = 60
MAX_TEXT = 300


def _signer(request: Request) -> URLSafeTimedSerializer:
    key = request.app.state.services.settings.resolved_secret_key
    return URLSafeTimedSerializer(key, salt="socialode.notice")


def tell(request: Request, url: str, text: str) -> RedirectResponse:
    """Go to ``url`` (303) and say ``text`` there, once."""
    response = RedirectResponse(url, status_code=303)
    signed = _signer(request).dumps(text[:MAX_TEXT])
    secure = request.url.scheme == "https"
    response.set_cookie(
        COOKIE, signed, max_age=MAX_AGE, httponly=True, samesite="lax", secure=secure
    )
    return response


def said(request: Request) -> str | None:
    """The signed notice handed to this page, when there is a valid one."""
    value = request.cookies.get(COOKIE)
    if not value or len(value) > 2 * MAX_TEXT + 100:
        return None
    try:
        text = _signer(request).loads(value, max_age=MAX_AGE)
    except BadSignature:
        return None
    return text[:MAX_TEXT] if isinstance(text, str) else None


def forget(request: Request, response: Response) -> None:
    """A page that was handed a notice shows it once: the cookie goes."""
    if COOKIE in request.cookies:
        response.delete_cookie(COOKIE, httponly=True, samesite="lax")
