"""Fixtures: a migrated database on the chosen backend, the app, and an HTTP client for it."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from socialode import migrate
from socialode.app import create_app
from socialode.config import Settings
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


def make_settings(data_dir: Path, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "redis_url": backends.REDIS_URL if backends.BACKEND == "postgres" else None,
        "secret_key": "test-secret-key-" + "x" * 32,
        "base_url": "http://testserver",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """Override in a test module to change settings for its tests."""
    return {}


@pytest.fixture
def settings(tmp_path: Path, database_url: str, settings_overrides: dict[str, object]) -> Settings:
    return make_settings(tmp_path / "data", database_url, **settings_overrides)


async def clear_tables(services: Services) -> None:
    async with services.db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(metadata.sorted_tables):
                await conn.execute(table.delete())


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    svc = Services.build(settings)
    await clear_tables(svc)
    await svc.limits.reset()
    yield svc
    await svc.close()


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
