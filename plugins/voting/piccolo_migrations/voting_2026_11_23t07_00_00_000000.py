"""One online ballot per voter and meeting, enforced by the database."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core import add_indexes

ID = "2026-11-23T07:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one ballot per voter"

INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS voting_ballot_voter ON voting_ballot (meeting, voter_no)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    add_indexes(manager, INDEXES)
    return manager
