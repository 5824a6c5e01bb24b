"""Errors people can act on: each carries a status, a message and, when it has one, the field."""

from __future__ import annotations


class AppError(Exception):
    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(AppError):
    status_code = 422


class NotFound(AppError):
    status_code = 404

    def __init__(
        self, message: str = "Nothing is here, or it is not yours to see.", field: str | None = None
    ) -> None:
        super().__init__(message, field)


class Unauthenticated(AppError):
    status_code = 401

    def __init__(self, message: str = "Please sign in first.") -> None:
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
        super().__init__(f"Too many attempts. Please wait {retry_after} seconds and try again.")
        self.retry_after = retry_after
