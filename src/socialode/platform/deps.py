"""Request-scoped access to the app's services and a database session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.ext.asyncio import AsyncSession

from socialode.platform.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    async with get_services(request).db.sessions() as session:
        yield session


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


Svc = Annotated[Services, Depends(get_services)]
DB = Annotated[AsyncSession, Depends(get_db)]

# Identifiers from URLs: bounded so an absurd number is a 422, not a database error.
MAX_ID = 2**31 - 1  # the largest INTEGER key PostgreSQL stores
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
