from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

from core import add_columns, column_params

ID = "2026-12-04T21:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "scrutineers' keys and paper entries' confirmations (docs/protocol.md §8.2)"


class VotingMeeting(Table, tablename="voting_meeting", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree)


MEETING = column_params(references=VotingMeeting, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade,
                        target_column=None)
KEY_COLUMNS = [
    ("meeting", ForeignKey, MEETING),
    ("name", Varchar, column_params(default="", length=100)),
    ("role", Varchar, column_params(default="scrutineer", length=16)),
    ("public_key", Varchar, column_params(default="", length=64, unique=True)),
    ("kdf_salt", Varchar, column_params(default="", length=32)),
    ("wrapped_secret", Varchar, column_params(default="", length=200)),
    ("registered_at", Timestamptz, column_params()),
    ("registered_by", Varchar, column_params(default="", length=200)),
]
PAPER_COLUMNS = [
    ("confirmation_key", Varchar, column_params(default="", length=64)),
    ("confirmation_salt", Varchar, column_params(default="", length=32)),
    ("confirmation_signature", Varchar, column_params(default="", length=128)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    manager.add_table(
        class_name="VotingScrutineerKey", tablename="voting_scrutineer_key", schema=None, columns=None
    )
    add_columns(manager, "VotingScrutineerKey", "voting_scrutineer_key", KEY_COLUMNS)
    add_columns(manager, "VotingPaperBallot", "voting_paper_ballot", PAPER_COLUMNS)
    return manager
