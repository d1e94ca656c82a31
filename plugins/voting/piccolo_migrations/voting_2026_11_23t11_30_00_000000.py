"""One paper entry per printed sheet, enforced by the database."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core import add_indexes

ID = "2026-11-23T11:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one paper entry per sheet"

INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS voting_paper_sheet ON voting_paper_ballot (meeting, sheet_serial)",
    "CREATE INDEX IF NOT EXISTS voting_paper_voter ON voting_paper_ballot (meeting, voter_no)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    add_indexes(manager, INDEXES)
    return manager
