"""Fixtures: a migrated database on the chosen backend, the app, and an HTTP client for it."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from socialode import migrate
from socialode.app import create_app
from socialode.config import Settings
from socialode.moderation import audit
from socialode.platform.services import Services
from socialode.schema import metadata
from tests import backends


def pytest_report_header() -> list[str]:
    if backends.BACKEND == "postgres":
        return [f"socialode backend: PostgreSQL + Redis ({backends.REDIS_URL})"]
    return ["socialode backend: SQLite, in-memory rate limits"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if backends.BACKEND == "postgres":
        for name, url in (("PostgreSQL", backends.POSTGRES_URL), ("Redis", backends.REDIS_URL)):
            if not backends.reachable(url):
                message = f"{name} is not reachable at {url}"
                if backends.REQUIRED:
                    pytest.exit(f"{message}, and this run requires it.", returncode=3)
                pytest.skip(f"{message}: PostgreSQL + Redis tests SKIPPED")
        url = backends.create_postgres_database()
        migrate.upgrade(url)
        yield url
        backends.drop_postgres_database(url)
        return
    path = tmp_path_factory.mktemp("db") / "socialode.db"
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url)
    yield url


# The cheapest Argon2 the settings allow: tests sign many people up. The production
# parameters are tested where hashing is (tests/platform/test_passwords.py).
QUICK_HASH: dict[str, object] = {"argon2_memory_kib": 8 * 1024, "argon2_time_cost": 1}


def make_settings(data_dir: Path, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "redis_url": backends.REDIS_URL if backends.BACKEND == "postgres" else None,
        "secret_key": "test-secret-key-" + "x" * 32,
        "base_url": "http://testserver",
        **QUICK_HASH,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """Override in a test module to change settings for its tests."""
    return {}


def _reuses_setup(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("reuses_setup") is not None


@pytest.fixture
def settings(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    database_url: str,
    settings_overrides: dict[str, object],
) -> Settings:
    data_dir = tmp_path / "data"
    if _reuses_setup(request):  # one data folder for the module's kept data (media files)
        data_dir = tmp_path_factory.getbasetemp() / f"kept-{request.module.__name__}"
    return make_settings(data_dir, database_url, **settings_overrides)


_emptied = 0  # how many times the tables were emptied: kept data is valid until the next time


async def clear_tables(services: Services) -> None:
    """Empty every table. DELETE, not TRUNCATE: on PostgreSQL it costs a few milliseconds
    against a hundred for TRUNCATE ... RESTART IDENTITY, and no test depends on id values."""
    global _emptied
    _emptied += 1
    async with services.db.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        # The audit log refuses DELETE by trigger (that is tested); tests set it aside here.
        audited = await conn.scalar(text("SELECT 1 FROM moderation_audit LIMIT 1"))
        for statement in (audit.POSTGRES_DROP if postgres else audit.SQLITE_DROP) * bool(audited):
            await conn.execute(text(statement))
        for table in reversed(metadata.sorted_tables):
            if table.name != "moderation_audit" or audited:
                await conn.execute(table.delete())
        for statement in (audit.POSTGRES_TRIGGERS if postgres else audit.SQLITE_TRIGGERS) * bool(
            audited
        ):
            await conn.execute(text(statement))


@pytest.fixture
async def services(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[Services]:
    svc = Services.build(settings)
    try:
        if not _reuses_setup(request):
            await clear_tables(svc)
        await svc.limits.reset()
        yield svc
    finally:  # also when the setup failed: no connection is left for another test to meet
        await svc.close()


T = TypeVar("T")
_reused: dict[str, tuple[int, Any]] = {}


@pytest.fixture
def reuse(request: pytest.FixtureRequest, services: Services) -> Callable[..., Awaitable[Any]]:
    """``await reuse(build)``: in tests marked ``reuses_setup`` (refusals that write nothing),
    the data ``build`` made for an earlier test of the module is reused as long as no test
    emptied the tables since; anywhere else it is built afresh on empty tables."""

    async def once(build: Callable[[], Awaitable[T]]) -> T:
        key = request.module.__name__
        hit = _reused.get(key)
        if _reuses_setup(request):
            if hit is not None and hit[0] == _emptied:
                value: T = hit[1]
                return value
            await clear_tables(services)
        built = await build()
        if _reuses_setup(request):
            _reused[key] = (_emptied, built)
        return built

    return once


@pytest.fixture
def app(settings: Settings, services: Services) -> FastAPI:
    return create_app(settings, services)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture(autouse=True)
def _warnings_are_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
