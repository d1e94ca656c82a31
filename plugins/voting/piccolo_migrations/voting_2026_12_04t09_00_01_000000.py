from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core import add_indexes

ID = "2026-12-04T09:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "one number per authorisation and meeting; one authorisation per voter and sheet version"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    add_indexes(
        manager,
        [
            "CREATE UNIQUE INDEX IF NOT EXISTS voting_proxy_number ON voting_proxy (meeting, number)",
            "CREATE UNIQUE INDEX IF NOT EXISTS voting_proxy_sheet ON voting_proxy (meeting, voter_no, version)",
        ],
    )
    return manager
