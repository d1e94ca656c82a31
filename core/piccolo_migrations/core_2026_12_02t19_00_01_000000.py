"""The login throttle counts failures by key within a window: index (key, at)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core.data.migrations import add_indexes

ID = "2026-12-02T19:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "login throttle index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    add_indexes(manager, ["CREATE INDEX IF NOT EXISTS core_login_failure_key ON core_login_failure (key, at)"])
    return manager
