from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON

from core import column_params

ID = "2026-12-04T02:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a motion's scope: the unit-code prefixes of the part of the estate that decides it"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    manager.add_column(
        table_class_name="VotingMotion",
        tablename="voting_motion",
        column_name="scope",
        db_column_name="scope",
        column_class_name="JSON",
        column_class=JSON,
        params=column_params(default="[]"),
        schema=None,
    )
    return manager
