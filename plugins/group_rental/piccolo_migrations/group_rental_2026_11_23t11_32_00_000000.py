"""Keys and indexes of the group_rental tables (unique indexes: SQLite cannot add constraints by ALTER)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core import add_indexes

ID = "2026-11-23T11:32:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "group_rental keys and indexes"

INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS group_rental_order_number ON group_rental_order (\"case\", number)",
    "CREATE INDEX IF NOT EXISTS group_rental_case_district ON group_rental_case (district, status)",
    "CREATE INDEX IF NOT EXISTS group_rental_inspection_case ON group_rental_inspection (\"case\")",
    "CREATE UNIQUE INDEX IF NOT EXISTS group_rental_photo_sha ON group_rental_photo (\"case\", sha256)",
    "CREATE INDEX IF NOT EXISTS group_rental_escalation_case ON group_rental_escalation (\"case\")",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="group_rental", description=DESCRIPTION)
    add_indexes(manager, INDEXES)
    return manager
