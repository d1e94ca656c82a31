from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Bytea, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

from core import add_columns, column_params

ID = "2026-12-04T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "proxies: written authorisations, and the credential issued to a proxy"


class VotingMeeting(Table, tablename="voting_meeting", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree)


MEETING = column_params(references=VotingMeeting, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade,
                        target_column=None)
COLUMNS = [
    ("meeting", ForeignKey, MEETING),
    ("number", Integer, column_params(default=0)),
    ("voter_no", Integer, column_params(default=0)),
    ("proxy_no", Integer, column_params(default=0)),
    ("proxy_name", Varchar, column_params(default="", length=100)),
    ("proxy_id_digest", Varchar, column_params(default="", length=64)),
    ("proxy_id_tail", Varchar, column_params(default="", length=4)),
    ("motions", Text, column_params(default="")),
    ("instructions", Text, column_params(default="")),
    ("version", Integer, column_params(default=0)),
    ("scan", Bytea, column_params(default=b"")),
    ("scan_name", Varchar, column_params(default="", length=200)),
    ("scan_type", Varchar, column_params(default="", length=64)),
    ("scan_sha256", Varchar, column_params(default="", length=64)),
    ("recorded_by", Varchar, column_params(default="", length=200)),
    ("recorded_at", Timestamptz, column_params()),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    manager.add_table(class_name="VotingProxy", tablename="voting_proxy", schema=None, columns=None)
    add_columns(manager, "VotingProxy", "voting_proxy", COLUMNS)
    add_columns(manager, "VotingCredential", "voting_credential", [("proxy", Integer, column_params(null=True))])
    return manager
