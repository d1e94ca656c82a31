"""Composite unique keys (SQLite cannot add constraints by ALTER TABLE, so they are indexes), and an
append-only audit log: the database itself refuses UPDATE and DELETE on it."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from core.data.migrations import add_indexes

ID = "2026-11-23T05:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique keys, append-only audit log"

UNIQUE_INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS core_estate_district_code ON core_estate (district, code)",
    "CREATE UNIQUE INDEX IF NOT EXISTS core_district_plugin_unique ON core_district_plugin (district, plugin)",
    "CREATE UNIQUE INDEX IF NOT EXISTS core_calendar_year_unique ON core_calendar_year (calendar, year)",
    "CREATE UNIQUE INDEX IF NOT EXISTS core_template_override_unique ON core_template_override (district, name)",
    "CREATE INDEX IF NOT EXISTS core_role_grant_staff ON core_role_grant (staff)",
    "CREATE INDEX IF NOT EXISTS core_audit_log_district ON core_audit_log (district, seq)",
]

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS core_audit_log_no_update BEFORE UPDATE ON core_audit_log
       BEGIN SELECT RAISE(ABORT, 'core_audit_log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_audit_log_no_delete BEFORE DELETE ON core_audit_log
       BEGIN SELECT RAISE(ABORT, 'core_audit_log is append-only'); END""",
]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION core_audit_log_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'core_audit_log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER core_audit_log_no_change BEFORE UPDATE OR DELETE ON core_audit_log
       FOR EACH ROW EXECUTE FUNCTION core_audit_log_refuse()""",
    """CREATE TRIGGER core_audit_log_no_truncate BEFORE TRUNCATE ON core_audit_log
       FOR EACH STATEMENT EXECUTE FUNCTION core_audit_log_refuse()""",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    add_indexes(manager, UNIQUE_INDEXES)

    async def run():
        engine = engine_finder()
        for statement in SQLITE if engine.engine_type == "sqlite" else POSTGRES:
            await engine._run_in_new_connection(statement)

    async def run_backwards():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            statements = [
                "DROP TRIGGER IF EXISTS core_audit_log_no_update",
                "DROP TRIGGER IF EXISTS core_audit_log_no_delete",
            ]
        else:
            statements = [
                "DROP TRIGGER IF EXISTS core_audit_log_no_change ON core_audit_log",
                "DROP TRIGGER IF EXISTS core_audit_log_no_truncate ON core_audit_log",
                "DROP FUNCTION IF EXISTS core_audit_log_refuse()",
            ]
        for statement in statements:
            await engine._run_in_new_connection(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
