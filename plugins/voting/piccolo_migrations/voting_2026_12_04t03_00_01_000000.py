from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core import add_indexes

ID = "2026-12-04T03:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "one number per objection and meeting"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    add_indexes(
        manager,
        ["CREATE UNIQUE INDEX IF NOT EXISTS voting_objection_number ON voting_objection (meeting, number)"],
    )
    return manager
