"""The server's access log never names a private page.

Uvicorn logs every request's method and path with the client's address. For a few paths the
path itself says something private (``POST /wellbeing/checkin/phq9`` tells that this
address took a PHQ-9), so features register those prefixes and the access log shows only
the prefix: ``POST /wellbeing/… 303``. Status and timing stay, for operators.
"""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"
_private: set[str] = set()


def register_private_paths(*prefixes: str) -> None:
    """Paths under these prefixes are logged as the prefix only."""
    _private.update(p.rstrip("/") for p in prefixes)


def hidden(path: str) -> str:
    """``path`` as the access log may show it."""
    bare = path.split("?", 1)[0]
    for prefix in sorted(_private, key=len, reverse=True):
        if bare == prefix or bare.startswith(prefix + "/"):
            return prefix + "/…"
    return path


class PrivatePaths(logging.Filter):
    """Rewrites the path of uvicorn's access records (args: address, method, path, HTTP
    version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], hidden(args[2]), *args[3:])
        return True


def install() -> None:
    """Put the filter on the access logger once (``create_app`` calls it)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, PrivatePaths) for f in logger.filters):
        logger.addFilter(PrivatePaths())
