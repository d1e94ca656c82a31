"""Helpers for hand-written Piccolo migrations.

Composite unique keys are created as unique indexes (SQLite cannot ``ALTER TABLE ... ADD
CONSTRAINT``, and ``CREATE [UNIQUE] INDEX`` reads the same on SQLite and PostgreSQL).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder

_INDEX_NAME = re.compile(r"INDEX IF NOT EXISTS (\w+)")


def add_indexes(manager: MigrationManager, statements: Sequence[str]) -> None:
    """Run ``CREATE [UNIQUE] INDEX IF NOT EXISTS name ...`` statements forwards, drop them backwards."""
    names = []
    for statement in statements:
        match = _INDEX_NAME.search(statement)
        if not match:
            raise ValueError(f"not a CREATE INDEX IF NOT EXISTS statement: {statement}")
        names.append(match.group(1))

    async def forwards() -> None:
        engine = engine_finder()
        for statement in statements:
            await engine._run_in_new_connection(statement)

    async def backwards() -> None:
        engine = engine_finder()
        for name in names:
            await engine._run_in_new_connection(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(forwards)
    manager.add_raw_backwards(backwards)


def column_params(**given: Any) -> dict[str, Any]:
    """The ``params`` Piccolo's auto migrations spell out for a column in ``add_column``, with ``given``
    (``default``, ``null``, ``length``, …) on top: a hand-written migration names only what differs."""
    return {
        "default": None,
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **given,
    }


def add_columns(
    manager: MigrationManager,
    class_name: str,
    tablename: str,
    columns: Sequence[tuple[str, type, dict[str, Any]]],
) -> None:
    """``add_column`` for each ``(name, column class, params)`` of a table (params from
    :func:`column_params`): a new table's columns, or new columns of an existing one."""
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name=class_name,
            tablename=tablename,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
