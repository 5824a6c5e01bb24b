"""Alembic environment: synchronous drivers, batch mode so SQLite can alter tables."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, event

from socialode.platform.db import configure_sqlite
from socialode.schema import metadata

config = context.config


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    engine = create_engine(url)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", configure_sqlite)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
