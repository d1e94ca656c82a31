"""Keys and lookup indexes of the housing_check tables (unique indexes: SQLite cannot add constraints)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core import add_indexes

ID = "2026-11-23T11:34:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "housing_check keys and indexes"

INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS housing_check_officer_once ON housing_check_officer (entrustment, staff)",
    "CREATE UNIQUE INDEX IF NOT EXISTS housing_check_household_position "
    "ON housing_check_household (entrustment, position)",
    "CREATE INDEX IF NOT EXISTS housing_check_entrustment_district ON housing_check_entrustment (district, status)",
    "CREATE INDEX IF NOT EXISTS housing_check_member_household ON housing_check_member (household)",
    "CREATE INDEX IF NOT EXISTS housing_check_step_household ON housing_check_step (household)",
    "CREATE INDEX IF NOT EXISTS housing_check_dwelling_household ON housing_check_dwelling (household)",
    "CREATE INDEX IF NOT EXISTS housing_check_attachment_step ON housing_check_attachment (step)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="housing_check", description=DESCRIPTION)
    add_indexes(manager, INDEXES)
    return manager
