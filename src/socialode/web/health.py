"""Health check for load balancers: answers when the app can reach its database."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    try:
        async with request.app.state.services.db.sessions() as session:
            await session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "not healthy"
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok"})
