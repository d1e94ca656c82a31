"""The audit log: hash-chained, append-only in the database, and verified by ``wuye audit verify``."""

from __future__ import annotations

import itertools
import json
import sqlite3

import asyncpg
import pytest
from piccolo.engine.postgres import PostgresEngine

from core.data.tables import AuditEntry
from core.district_services import add_district, switch_plugin
from core.identity import audit
from core.testing import wuye_command, wuye_env


async def tamper(db, sql: str) -> None:
    """What an intruder with database access would do: lift the triggers and change rows."""
    if isinstance(db.engine, PostgresEngine):
        conn = await asyncpg.connect(db.settings.database_url)
        try:
            await conn.execute(
                f"ALTER TABLE core_audit_log DISABLE TRIGGER USER; {sql}; "
                "ALTER TABLE core_audit_log ENABLE TRIGGER USER;"
            )
        finally:
            await conn.close()
    else:
        conn = sqlite3.connect(db.engine.path)
        conn.execute("DROP TRIGGER IF EXISTS core_audit_log_no_update")
        conn.execute("DROP TRIGGER IF EXISTS core_audit_log_no_delete")
        conn.execute(sql)
        conn.commit()
        conn.close()


def verify_cli(db, *args: str):
    return wuye_command(
        "audit",
        "verify",
        *args,
        env=wuye_env(db.settings.database_url, list(db.settings.extra_plugins)),
        check=False,
    )


async def some_history(db) -> None:
    alpha = await add_district(db, "cli:test", "alpha", "甲街道")
    await switch_plugin(db, "cli:test", alpha, "toy_duty", True)
    await switch_plugin(db, "cli:test", alpha, "toy_duty", False)
    await audit.record(
        "staff:1:alice", "case.view", district="alpha", target="case-7", details={"why": "核查"}
    )


async def test_entries_chain_and_verify(db):
    await some_history(db)
    rows = await AuditEntry.select().order_by(AuditEntry.seq)
    assert [r["seq"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["prev_hash"] == audit.GENESIS
    for earlier, later in itertools.pairwise(rows):
        assert later["prev_hash"] == earlier["entry_hash"]
    assert await audit.verify() == (4, [])
    result = verify_cli(db)
    assert result.returncode == 0, result.stderr
    assert "4 条" in result.stdout


async def test_database_refuses_update_and_delete(db):
    await some_history(db)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.actor: "someone else"}).where(AuditEntry.seq == 2)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.delete().where(AuditEntry.seq == 2)
    assert await AuditEntry.count() == 4


async def test_hand_edited_entry_fails_verification(db):
    await some_history(db)
    await tamper(db, "UPDATE core_audit_log SET target = 'case-8' WHERE seq = 4")
    result = verify_cli(db, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert {k: report["discrepancies"][0][k] for k in ("seq", "problem")} == {"seq": 4, "problem": "edited"}
    human = verify_cli(db)
    assert human.returncode == 1 and "#4 edited" in human.stderr


async def test_deleted_entry_fails_verification(db):
    await some_history(db)
    await tamper(db, "DELETE FROM core_audit_log WHERE seq = 2")
    count, problems = await audit.verify()
    assert count == 3
    assert [(p.seq, p.problem) for p in problems] == [(2, "missing"), (3, "broken_link")]
    assert verify_cli(db).returncode == 1


async def test_truncated_tail_is_caught_with_an_anchor(db):
    await some_history(db)
    seq, digest = await audit.head()
    assert seq == 4
    await tamper(db, "DELETE FROM core_audit_log WHERE seq = 4")
    assert await audit.verify() == (3, [])  # a shorter chain is still a valid chain ...
    result = verify_cli(db, "--anchor", f"{seq}:{digest}", "--json")
    assert result.returncode == 1  # ... but not against the head recorded earlier
    assert json.loads(result.stdout)["discrepancies"][0]["problem"] == "truncated"


async def test_bad_anchor_is_a_usage_error(db):
    result = verify_cli(db, "--anchor", "nonsense")
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.startswith("错误")
