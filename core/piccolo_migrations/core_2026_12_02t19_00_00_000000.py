"""Refused logins, counted by the login throttle (per account and per client address); its index
follows in the next migration (Piccolo runs raw statements before it creates tables)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow

from core.data.migrations import column_params

ID = "2026-12-02T19:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "login throttle"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    manager.add_table(class_name="LoginFailure", tablename="core_login_failure", schema=None, columns=None)
    manager.add_column(
        table_class_name="LoginFailure",
        tablename="core_login_failure",
        column_name="key",
        db_column_name="key",
        column_class_name="Varchar",
        column_class=Varchar,
        params=column_params(default="", length=200),
        schema=None,
    )
    manager.add_column(
        table_class_name="LoginFailure",
        tablename="core_login_failure",
        column_name="at",
        db_column_name="at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=column_params(default=TimestamptzNow()),
        schema=None,
    )
    return manager
