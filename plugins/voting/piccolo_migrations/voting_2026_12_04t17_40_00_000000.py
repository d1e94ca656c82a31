from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz

from core import add_columns, column_params

ID = "2026-12-04T17:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the time the vote was opened, for the sealed record"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    add_columns(
        manager, "VotingMeeting", "voting_meeting", [("opened_at", Timestamptz, column_params(null=True))]
    )
    return manager
