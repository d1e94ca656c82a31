from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz

from core import add_columns, column_params

ID = "2026-12-04T20:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "when each paper sheet was handed in (the dual-ballot rule 'first' compares it)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)
    add_columns(
        manager,
        "VotingPaperBallot",
        "voting_paper_ballot",
        [("handed_in_at", Timestamptz, column_params(null=True))],
    )
    return manager
