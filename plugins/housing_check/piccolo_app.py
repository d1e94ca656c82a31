"""The housing_check plugin's Piccolo app."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="housing_check",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["plugins.housing_check.tables"], exclude_imported=True),
    migration_dependencies=["core.piccolo_app"],
    commands=[],
)
