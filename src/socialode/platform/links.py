"""Links to this instance, for emails and commands: they must point where people reach it."""

from __future__ import annotations

from socialode.config import Settings
from socialode.platform.errors import AppError


class AddressUnknown(AppError):
    status_code = 503

    def __init__(self) -> None:
        super().__init__(
            "Socialode does not know the address people use to reach it, so a link would"
            " lead nowhere. Start it once with `socialode serve` (it records where it is"
            " served) or set SOCIALODE_BASE_URL, then try again."
        )


def link_to(settings: Settings, path: str) -> str:
    """An absolute link to ``path`` on this instance; refuses rather than guess the address."""
    base = settings.public_url
    if base is None:
        raise AddressUnknown
    return f"{base}/{path.lstrip('/')}"
