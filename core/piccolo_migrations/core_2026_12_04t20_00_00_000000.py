"""Training districts (演练): a district marked ``training`` whose clock runs ``clock_offset`` seconds
ahead of real time (core.clock)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Boolean

from core.data.migrations import add_columns, column_params

ID = "2026-12-04T20:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "training districts and their clock"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    add_columns(
        manager,
        "District",
        "core_district",
        [("training", Boolean, column_params(default=False)), ("clock_offset", BigInt, column_params(default=0))],
    )
    return manager
