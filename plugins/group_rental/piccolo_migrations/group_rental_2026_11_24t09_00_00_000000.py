"""The escalation package is kept (re-downloadable, byte for byte); one hand-over per case."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Bytea
from piccolo.columns.indexes import IndexMethod

from core.migration_helpers import add_indexes

ID = "2026-11-24T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "group_rental: keep the escalation package"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="group_rental", description=DESCRIPTION)
    manager.add_column(
        table_class_name="GroupRentalEscalation",
        tablename="group_rental_escalation",
        column_name="package",
        db_column_name="package",
        column_class_name="Bytea",
        column_class=Bytea,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    add_indexes(
        manager,
        [
            "CREATE UNIQUE INDEX IF NOT EXISTS group_rental_escalation_once "
            'ON group_rental_escalation ("case")'
        ],
    )
    return manager
