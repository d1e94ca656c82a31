"""The heads of a meeting are read newest first."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core import add_indexes

ID = "2026-12-04T01:50:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "heads by meeting and time"

INDEXES = ["CREATE INDEX IF NOT EXISTS voting_head_meeting ON voting_head (meeting, at)"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    add_indexes(manager, INDEXES)
    return manager
