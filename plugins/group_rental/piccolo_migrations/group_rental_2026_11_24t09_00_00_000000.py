"""The escalation package is kept (re-downloadable, byte for byte); one hand-over per case."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Bytea

from core import add_indexes, column_params

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
        params=column_params(null=True),
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
