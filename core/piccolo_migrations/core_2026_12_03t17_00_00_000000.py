"""发文字号: the numbers given to issued documents (core.documents.numbers); its unique indexes follow
in the next migration (Piccolo runs raw statements before it creates tables)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.data.migrations import column_params

ID = "2026-12-03T17:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "document numbers"


class District(Table, tablename="core_district"):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    table = {"table_class_name": "DocumentNumber", "tablename": "core_document_number", "schema": None}
    manager.add_table(class_name="DocumentNumber", tablename="core_document_number", schema=None, columns=None)
    manager.add_column(
        **table,
        column_name="district",
        db_column_name="district",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params=column_params(
            references=District,
            on_delete=OnDelete.cascade,
            on_update=OnUpdate.cascade,
            target_column=None,
        ),
    )
    for name, length in (("office", 64), ("kind", 64), ("subject", 200), ("number", 100)):
        manager.add_column(
            **table,
            column_name=name,
            db_column_name=name,
            column_class_name="Varchar",
            column_class=Varchar,
            params=column_params(default="", length=length),
        )
    for name in ("year", "seq"):
        manager.add_column(
            **table,
            column_name=name,
            db_column_name=name,
            column_class_name="Integer",
            column_class=Integer,
            params=column_params(default=0),
        )
    manager.add_column(
        **table,
        column_name="issued_by",
        db_column_name="issued_by",
        column_class_name="Varchar",
        column_class=Varchar,
        params=column_params(default="", length=200),
    )
    manager.add_column(
        **table,
        column_name="issued_at",
        db_column_name="issued_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=column_params(default=TimestamptzNow()),
    )
    return manager
