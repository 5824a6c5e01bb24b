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
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by dropping the old one; with foreign keys on, that
            # drop would first run every ON DELETE action pointing at it (emptying or nulling
            # other tables). Off while migrating (SQLite ignores this inside a transaction, so
            # before the first one), and checked once at the end instead.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"The migration left broken references: {broken[:5]}")
    engine.dispose()


run_migrations()
