"""Errors people can act on: each carries a status, a message and, when it has one, the field.

The message is in the language in force where the error is raised: a sentence marked with
``N_`` (a module constant) is translated here; one built with values is translated where it
is built (``_("... %(n)s ...") % {...}``) and passes through unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from socialode.platform.i18n import N_, _

T = TypeVar("T")


class AppError(Exception):
    status_code = 400
    # More for an API caller or a live frame beside ``detail`` and ``field`` (a pause before
    # sending carries its assessment and token this way).
    extra: dict[str, object] | None = None
    # Shown by the page as a panel of its own (``request.state.refusal``), not beside a field.
    shown_apart = False

    def __init__(self, message: str, field: str | None = None) -> None:
        message = _(message)
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(AppError):
    status_code = 422


class NotFound(AppError):
    status_code = 404

    def __init__(
        self,
        message: str = N_("Nothing is here, or it is not yours to see."),
        field: str | None = None,
    ) -> None:
        super().__init__(message, field)


class Unauthenticated(AppError):
    status_code = 401

    def __init__(self, message: str = N_("Please sign in first.")) -> None:
        super().__init__(message)


class Forbidden(AppError):
    status_code = 403


class Conflict(AppError):
    status_code = 409


class TooLarge(AppError):
    status_code = 413


class RateLimited(AppError):
    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            _("Too many attempts. Please wait %(seconds)s seconds and try again.")
            % {"seconds": retry_after}
        )
        self.retry_after = retry_after


class Problems(AppError):
    """Several refusals of one request, each about its own field. A form shows every one
    beside its field at once; a caller that shows one message (the API's ``{"detail",
    "field"}``) reads it as the first."""

    def __init__(self, problems: Sequence[AppError]) -> None:
        first = problems[0]
        super().__init__(first.message, first.field)
        self.problems = list(problems)
        self.status_code = first.status_code


class Checks:
    """Run each field's check and refuse once with every one that failed::

    checks = Checks()
    name = checks.run(lambda: check_name(raw_name), "")
    email = checks.run(lambda: check_email(raw_email), "")
    checks.done()  # raises the one refusal, or Problems with all of them
    """

    def __init__(self, failed: Sequence[AppError] = ()) -> None:
        self.failed: list[AppError] = list(failed)

    def run(self, check: Callable[[], T], fallback: T) -> T:
        try:
            return check()
        except AppError as exc:
            self.failed.append(exc)
            return fallback

    async def wait(self, check: Callable[[], Awaitable[T]], fallback: T) -> T:
        try:
            return await check()
        except AppError as exc:
            self.failed.append(exc)
            return fallback

    def failed_on(self, field: str) -> bool:
        return any(exc.field == field for exc in self.failed)

    def done(self) -> None:
        if len(self.failed) == 1:
            raise self.failed[0]
        if self.failed:
            raise Problems(self.failed)
