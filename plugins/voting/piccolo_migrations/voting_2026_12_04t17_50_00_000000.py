from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

from core import add_columns, column_params

ID = "2026-12-04T17:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ownership transfers during a vote"


class VotingMeeting(Table, tablename="voting_meeting", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree)


MEETING = column_params(references=VotingMeeting, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade,
                        target_column=None)
COLUMNS = [
    ("meeting", ForeignKey, MEETING),
    ("voter_no", Integer, column_params(default=0)),
    ("new_owner", Varchar, column_params(default="", length=100)),
    ("transferred_on", Date, column_params()),
    ("evidence", Varchar, column_params(default="", length=200)),
    ("outcome", Varchar, column_params(default="", length=16)),
    ("version", Integer, column_params(null=True)),
    ("recorded_by", Varchar, column_params(default="", length=200)),
    ("recorded_at", Timestamptz, column_params()),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    manager.add_table(class_name="VotingTransfer", tablename="voting_transfer", schema=None, columns=None)
    add_columns(manager, "VotingTransfer", "voting_transfer", COLUMNS)
    return manager
