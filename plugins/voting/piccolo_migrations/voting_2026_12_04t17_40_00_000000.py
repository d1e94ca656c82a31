from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz

from core import column_params

ID = "2026-12-04T17:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the time the vote was opened, for the sealed record"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    manager.add_column(
        table_class_name="VotingMeeting",
        tablename="voting_meeting",
        column_name="opened_at",
        db_column_name="opened_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=column_params(null=True, default=None),
        schema=None,
    )
    return manager
