from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

from core import add_columns, column_params

ID = "2026-12-04T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "result phases: the preliminary result and its objections, and voting extensions"


class VotingMeeting(Table, tablename="voting_meeting", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree)


MEETING = column_params(references=VotingMeeting, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade,
                        target_column=None)
TABLES = {
    ("VotingObjection", "voting_objection"): [
        ("meeting", ForeignKey, MEETING),
        ("number", Integer, column_params(default=0)),
        ("received_on", Date, column_params()),
        ("submitted_by", Varchar, column_params(default="", length=100)),
        ("unit", Varchar, column_params(default="", length=64)),
        ("content", Text, column_params(default="")),
        ("recorded_by", Varchar, column_params(default="", length=200)),
        ("recorded_at", Timestamptz, column_params()),
        ("answer", Text, column_params(default="")),
        ("answered_by", Varchar, column_params(default="", length=200)),
        ("answered_at", Timestamptz, column_params(null=True)),
    ],
    ("VotingExtension", "voting_extension"): [
        ("meeting", ForeignKey, MEETING),
        ("old_closes", Timestamptz, column_params()),
        ("new_closes", Timestamptz, column_params()),
        ("old_count_date", Date, column_params()),
        ("new_count_date", Date, column_params()),
        ("reason", Text, column_params(default="")),
        ("extended_by", Varchar, column_params(default="", length=200)),
        ("extended_at", Timestamptz, column_params()),
    ],
}
SEAL_COLUMNS = [
    ("preliminary_at", Timestamptz, column_params(null=True)),
    ("preliminary_by", Varchar, column_params(default="", length=200)),
    ("objections_until", Date, column_params(null=True)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    for (class_name, tablename), columns in TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        add_columns(manager, class_name, tablename, columns)
    add_columns(manager, "VotingSeal", "voting_seal", SEAL_COLUMNS)
    return manager
