"""Core's Piccolo app: districts, staff, audit and calendar tables."""

from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="core",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["core.data.tables"], exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
