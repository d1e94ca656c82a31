"""The running platform's shared objects: settings, plugin manager, database engine, jurisdictions.

The web app and the CLI both build one :class:`Runtime`; tests build one per database backend.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pluggy
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from core.db import bind_tables, make_engine
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
        bind_tables(self.engine, self.app_modules)  # another runtime in this process may have rebound them
        set_current(self)

    async def stop(self) -> None:
        if isinstance(self.engine, PostgresEngine):
            await self.engine.close_connection_pool()


_current: Runtime | None = None


def set_current(runtime: Runtime) -> None:
    global _current
    _current = runtime


def current() -> Runtime:
    """The runtime of this process (set when an app or CLI command starts)."""
    if _current is None:
        raise RuntimeError("no wuye runtime has been started")
    return _current


@contextlib.asynccontextmanager
async def database(settings: Settings | None = None) -> AsyncIterator[Runtime]:
    """Start a runtime for a CLI command or a script; stop it afterwards."""
    runtime = Runtime.build(settings)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()
