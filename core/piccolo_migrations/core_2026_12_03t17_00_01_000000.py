"""发文字号: one number per issued document, and no number twice in an office's year."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core.data.migrations import add_indexes

ID = "2026-12-03T17:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "document number indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    add_indexes(
        manager,
        [
            "CREATE UNIQUE INDEX IF NOT EXISTS core_document_number_subject "
            "ON core_document_number (district, kind, subject)",
            "CREATE UNIQUE INDEX IF NOT EXISTS core_document_number_seq "
            "ON core_document_number (district, office, year, seq)",
        ],
    )
    return manager
