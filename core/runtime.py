"""The running platform's shared objects: settings, plugin manager, database engine, jurisdictions.

The web app and the CLI both build one :class:`Runtime`; tests build one per database backend.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pluggy
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from core.data.db import bind_tables, make_engine
from core.jurisdiction import JurisdictionRegistry
from core.plugins import create_plugin_manager_from_settings, piccolo_app_modules
from core.settings import Settings, get_settings


@dataclass
class Runtime:
    settings: Settings
    pm: pluggy.PluginManager
    engine: Engine
    jurisdictions: JurisdictionRegistry
    app_modules: list[str] = field(default_factory=list)
    _sqlite_keeper: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def build(cls, settings: Settings | None = None, pm: pluggy.PluginManager | None = None) -> Runtime:
        settings = settings or get_settings()
        pm = pm or create_plugin_manager_from_settings(settings)
        engine = make_engine(settings.database_url)
        modules = piccolo_app_modules(pm)
        bind_tables(engine, modules)
        return cls(
            settings=settings,
            pm=pm,
            engine=engine,
            jurisdictions=JurisdictionRegistry.from_plugins(pm, default=settings.default_jurisdiction),
            app_modules=modules,
        )

    async def start(self) -> None:
        if isinstance(self.engine, PostgresEngine):
            await self.engine.start_connection_pool(min_size=2, max_size=20)
        elif self._sqlite_keeper is None:
            # Piccolo opens a connection per query or transaction. When the LAST connection to a WAL
            # database closes, SQLite checkpoints the whole log into the file and deletes it: with no
            # pool that would happen after nearly every write. One idle connection held for the
            # runtime's life keeps checkpoints to SQLite's periodic, incremental ones.
            import sqlite3

            self._sqlite_keeper = sqlite3.connect(self.engine.path, check_same_thread=False)
        bind_tables(self.engine, self.app_modules)  # another runtime in this process may have rebound them

    async def stop(self) -> None:
        if isinstance(self.engine, PostgresEngine):
            await self.engine.close_connection_pool()
        if self._sqlite_keeper is not None:
            self._sqlite_keeper.close()
            self._sqlite_keeper = None


@contextlib.asynccontextmanager
async def database(settings: Settings | None = None) -> AsyncIterator[Runtime]:
    """Start a runtime for a CLI command or a script; stop it afterwards."""
    runtime = Runtime.build(settings)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()
