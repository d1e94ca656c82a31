"""Unique keys of the voting tables (as unique indexes: SQLite cannot add constraints by ALTER)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core import add_indexes

ID = "2026-11-23T05:59:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "voting unique keys"

INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS voting_unit_estate_code ON voting_unit (estate, unit_code)",
    "CREATE UNIQUE INDEX IF NOT EXISTS voting_motion_position ON voting_motion (meeting, position)",
    "CREATE UNIQUE INDEX IF NOT EXISTS voting_voter_no ON voting_voter (meeting, voter_no)",
    "CREATE UNIQUE INDEX IF NOT EXISTS voting_voter_serial ON voting_voter (meeting, serial)",
    "CREATE UNIQUE INDEX IF NOT EXISTS voting_frozen_unit_code ON voting_frozen_unit (meeting, unit_code)",
    "CREATE UNIQUE INDEX IF NOT EXISTS voting_delivery_voter ON voting_delivery (meeting, voter_no)",
    "CREATE UNIQUE INDEX IF NOT EXISTS voting_credential_version ON voting_credential (meeting, voter_no, version)",
    "CREATE INDEX IF NOT EXISTS voting_official_meeting ON voting_official (meeting)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    add_indexes(manager, INDEXES)
    return manager
