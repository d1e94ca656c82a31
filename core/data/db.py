"""Database engines from a URL, and binding every registered table to one engine.

SQLite (default): a file under ``./var/``, WAL journal, foreign keys on, a generous busy timeout.
PostgreSQL: ``WUYE_DATABASE_URL=postgresql://user@host:5432/db``, with a connection pool while the app
runs. Tables are bound explicitly (``Table._meta.db``) so one process can serve several databases one
after another (the tests run every database test on both).
"""

from __future__ import annotations

import importlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table


def sqlite_path(url: str) -> Path:
    """``sqlite:///relative.db`` or ``sqlite:////absolute/path.db`` (SQLAlchemy's convention)."""
    rest = url.split("://", 1)[1]
    return Path(rest[1:] if rest.startswith("/") else rest)


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///...`` or ``postgresql://...``)."""
    scheme = urlparse(url).scheme
    if scheme.startswith("sqlite"):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        prepare_sqlite_file(path)
        return SQLiteEngine(path=str(path), timeout=30)
    if scheme in {"postgres", "postgresql"}:
        return PostgresEngine(config={"dsn": url})
    raise ValueError(f"unsupported database URL scheme {scheme!r} (use sqlite:/// or postgresql://)")


def prepare_sqlite_file(path: Path) -> None:
    """WAL mode is a property of the file: set it once, before any connection of the app."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")


def table_classes(app_modules: Iterable[str]) -> list[type[Table]]:
    """Every table class of the given Piccolo app modules."""
    classes: list[type[Table]] = []
    for modpath in app_modules:
        config = importlib.import_module(modpath).APP_CONFIG
        classes.extend(config.table_classes)
    return classes


def bind_tables(engine: Engine, app_modules: Iterable[str]) -> list[type[Table]]:
    """Point every table of ``app_modules`` at ``engine``."""
    classes = table_classes(app_modules)
    for table in classes:
        table._meta.db = engine
    return classes


def json_value(value: Any) -> Any:
    """A JSON column's value as Python: Piccolo hands it back as text on SQLite and, depending on the
    query, already decoded on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def transaction(engine: Engine) -> Any:
    """A transaction that joins an enclosing one. On SQLite it takes the write lock at BEGIN
    (``IMMEDIATE``), so two writers queue on the busy timeout instead of failing on lock upgrade."""
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate, allow_nested=True)
    return engine.transaction(allow_nested=True)


async def bulk_insert(table: type[Table], rows: list[dict[str, Any]]) -> None:
    """Insert many rows in the CURRENT transaction with the driver's bulk path (``COPY`` on
    PostgreSQL, ``executemany`` on SQLite): an order of magnitude faster than ORM inserts. Every row
    gives the same columns, by database column name; no defaults are applied."""
    if not rows:
        return
    engine = table._meta.db
    current = engine.current_transaction.get()
    if current is None:
        raise RuntimeError("bulk_insert must run inside core.data.db.transaction()")
    columns = list(rows[0])
    records = [tuple(row[column] for column in columns) for row in rows]
    name = table._meta.tablename
    if isinstance(engine, PostgresEngine):
        await current.connection.copy_records_to_table(name, records=records, columns=columns)
    else:
        placeholders = ", ".join("?" for _ in columns)
        quoted = ", ".join(f'"{column}"' for column in columns)
        await current.connection.executemany(
            f'INSERT INTO "{name}" ({quoted}) VALUES ({placeholders})', records
        )
