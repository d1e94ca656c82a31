"""Board heads and verify-diff (#18 point 5, docs/protocol.md §12): the meeting key signs the board's
head while voting is open; a snapshot verifies on its own; the sealed bundle carries every head and
each is checked against the sealed record; ``wuye verify --since OLD NEW`` proves NEW only extends OLD."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from core.data.tables import AuditEntry
from core.signing import sign
from core.testing import login, wuye_command, wuye_env
from plugins.voting.protocol.credentials import public_key_hex
from plugins.voting.protocol.record import seal_message, seal_root, seal_statement
from plugins.voting.protocol.tally import compute_tally
from plugins.voting.protocol.verifier import verify_bundle, verify_since
from plugins.voting.services.heads import HeadTask, heads_of, sign_due_heads, sign_head, snapshot_bundle
from plugins.voting.services.keys import meeting_key
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.revocation import revoke_sheet
from plugins.voting.services.seal import export_bundle, seal_meeting
from tests.plugins.voting.conftest import choices, clock_at, make_ballot, post, signed
from tests.plugins.voting.test_pinning import rekeyed

NOW = timedelta(0)  #: heads in these tests cover everything received up to the moment they are signed


async def cast(client, m, index: int, change: dict | None = None) -> None:
    seed = m["seeds"][index]
    response = await post(client, m, signed(m, seed, make_ballot(m, seed, change)))
    assert response.status_code == 201, response.text


async def mid_vote(db, client, m, tmp_path):
    """Two ballots and a revoked sheet on the board, a head signed, its snapshot written; then one
    more ballot after the head."""
    await cast(client, m, 0, choices("agree", "oppose", ["c1"]))
    await cast(client, m, 1, choices("oppose", "agree", ["c1", "c2"]))
    await revoke_sheet(db, m["estate"], m["id"], "officer", serial=m["issued"][3].serial, reason="遗失")
    await sign_head(db, m["estate"], m["id"], "officer", settle=NOW)
    mid = tmp_path / "mid.zip"
    mid.write_bytes(await snapshot_bundle(db, m["id"]))
    await cast(client, m, 2, choices("abstain", "abstain", []))
    return mid


async def final(db, m, tmp_path):
    """Sealed once the deadline has passed (the district's clock: a minute after it)."""
    row = await get_meeting(m["id"])
    await clock_at(db, m["estate"], row["voting_closes"] + timedelta(minutes=1))
    await seal_meeting(db, m["estate"], m["id"], "officer")
    path = tmp_path / "final.zip"
    path.write_bytes(await export_bundle(db, m["id"]))
    return path


def codes(report) -> list[str]:
    return [d["code"] for d in report.discrepancies]


async def test_a_snapshot_and_the_final_bundle_verify_and_the_final_extends_the_snapshot(
    db, client, rehearsed_meeting, tmp_path
):
    m = rehearsed_meeting
    mid = await mid_vote(db, client, m, tmp_path)
    report = verify_bundle(mid, workers=1)
    assert report.ok, report.discrepancies
    assert report.snapshot and report.tally is None and report.checked["ballots"] == 2
    names = set(zipfile.ZipFile(mid).namelist())
    assert names == {"record.json", "head.json", "README.txt"}
    readme = zipfile.ZipFile(mid).read("README.txt").decode()
    assert "不是表决结果" in readme
    record = json.loads(zipfile.ZipFile(mid).read("record.json"))
    assert "units" not in record["register"] and record["paper"] == []  # as pseudonymous as §10

    bundle = await final(db, m, tmp_path)
    heads = json.loads(zipfile.ZipFile(bundle).read("heads.json"))
    assert [h["head"]["counts"]["ballots"] for h in heads] == [0, 2, 3]  # opened, mid-vote, closed
    assert [r["trigger"] for r in await heads_of((await get_meeting(m["id"]))["id"])] == [
        "open",
        "manual",
        "close",
    ]
    report = verify_bundle(bundle, workers=1)
    assert report.ok, report.discrepancies
    assert report.checked["heads"] == 3

    diff = verify_since(mid, bundle, workers=1)
    assert diff.ok, diff.discrepancies
    env = wuye_env(
        db.settings.database_url, list(db.settings.extra_plugins), WUYE_VAR_DIR=str(db.settings.var_dir)
    )
    ran = wuye_command("verify", "--since", str(mid), str(bundle), env=env)
    assert "只有新增" in ran.stdout
    as_json = json.loads(wuye_command("verify", "--since", str(mid), str(bundle), "--json", env=env).stdout)
    assert as_json["ok"] and as_json["old"]["snapshot"] and not as_json["new"]["snapshot"]


def resealed(bundle: bytes, seed: bytes, change, *, heads: bool = False) -> bytes:
    """What an operator holding the meeting key could publish: the record changed by ``change``,
    re-digested, re-tallied and sealed anew under the real key (its heads.json dropped unless
    ``heads``), so that it verifies on its own and only the comparison with an older bundle fails."""
    source = zipfile.ZipFile(io.BytesIO(bundle))
    record = json.loads(source.read("record.json"))
    seal = json.loads(source.read("seal.json"))
    change(record)
    meeting = record["meeting"]["meeting"]
    statement = seal_statement(record)
    statement["protocol"] = seal["statement"]["protocol"]
    seal.update(
        statement=statement,
        root=seal_root(meeting, statement),
        signature=sign(seed, seal_message(meeting, statement)).hex(),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name == "heads.json" and not heads:
                continue
            data = source.read(name)
            if name == "record.json":
                data = json.dumps(record, ensure_ascii=False).encode()
            elif name == "seal.json":
                data = json.dumps(seal, ensure_ascii=False).encode()
            elif name == "tally.json":
                data = json.dumps(compute_tally(record), ensure_ascii=False).encode()
            target.writestr(name, data)
    return out.getvalue()


def first_ballot_voter(path) -> int:
    return json.loads(zipfile.ZipFile(path).read("record.json"))["ballots"][0]["voter_no"]


def drop_ballot(voter_no):
    def change(record):
        record["ballots"] = [b for b in record["ballots"] if b["voter_no"] != voter_no]

    return change


def move_ballot(voter_no):
    def change(record):
        for b in record["ballots"]:
            if b["voter_no"] == voter_no:
                b["received_at"] = b["received_at"][:-2] + ("1Z" if b["received_at"][-2] != "1" else "2Z")

    return change


def swap_key(record):
    record["credentials"][0]["public_key"] = public_key_hex(b"\x07" * 32)


def unrevoke(record):
    for c in record["credentials"]:
        c["revoked_at"] = None


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        ("removed", "since_ballot_removed"),
        ("changed", "since_ballot_changed"),
        ("key", "since_credential_changed"),
        ("unrevoked", "since_revocation_removed"),
    ],
)
async def test_a_final_bundle_that_drops_or_changes_what_the_snapshot_held_fails(
    db, client, rehearsed_meeting, tmp_path, tamper, code
):
    m = rehearsed_meeting
    mid = await mid_vote(db, client, m, tmp_path)
    bundle = await final(db, m, tmp_path)
    seed, _ = await meeting_key(db, (await get_meeting(m["id"]))["id"])
    voter = first_ballot_voter(mid)
    change = {
        "removed": drop_ballot(voter),
        "changed": move_ballot(voter),
        "key": swap_key,
        "unrevoked": unrevoke,
    }
    forged = tmp_path / "forged.zip"
    forged.write_bytes(resealed(bundle.read_bytes(), seed, change[tamper]))
    if tamper in ("removed", "unrevoked"):
        assert verify_bundle(forged, workers=1).ok  # on its own, the forged record holds together
    diff = verify_since(mid, forged, workers=1)
    assert code in codes(diff), diff.discrepancies
    found = next(d for d in diff.discrepancies if d["code"] == code)
    assert "新记录包" in found["message"]
    if tamper in ("removed", "changed"):
        assert f"第 {voter} 号表决人" in found["message"]
    # the final bundle's own heads say the same, without the old snapshot
    with_heads = tmp_path / "with-heads.zip"
    with_heads.write_bytes(resealed(bundle.read_bytes(), seed, change[tamper], heads=True))
    own = codes(verify_bundle(with_heads, workers=1))
    assert ("head_ballots_mismatch" if tamper in ("removed", "changed") else "head_section_mismatch") in own
    env = wuye_env(
        db.settings.database_url, list(db.settings.extra_plugins), WUYE_VAR_DIR=str(db.settings.var_dir)
    )
    ran = wuye_command("verify", "--since", str(mid), str(forged), env=env, check=False)
    assert ran.returncode == 1 and f"[{code}]" in ran.stdout


async def test_another_meeting_a_rekeyed_bundle_and_an_older_new_one_fail(
    db, client, rehearsed_meeting, tmp_path
):
    m = rehearsed_meeting
    mid = await mid_vote(db, client, m, tmp_path)
    bundle = await final(db, m, tmp_path)
    seed, _ = await meeting_key(db, (await get_meeting(m["id"]))["id"])

    other = tmp_path / "other.zip"

    def rename(record):
        record["meeting"]["meeting"] = "another-meeting"

    other.write_bytes(resealed(bundle.read_bytes(), seed, rename))
    assert "since_meeting_mismatch" in codes(verify_since(mid, other, workers=1))

    forged = tmp_path / "rekeyed.zip"
    forged.write_bytes(rekeyed(bundle.read_bytes(), b"\x09" * 32))
    assert "since_key_mismatch" in codes(verify_since(mid, forged, workers=1))

    backwards = verify_since(bundle, mid, workers=1)
    assert "since_older" in codes(backwards)
    older = next(d for d in backwards.discrepancies if d["code"] == "since_older")
    assert "早于" in older["message"]


async def test_unreadable_input_exits_2_in_chinese(db, tmp_path):
    env = wuye_env(
        db.settings.database_url, list(db.settings.extra_plugins), WUYE_VAR_DIR=str(db.settings.var_dir)
    )
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    ran = wuye_command("verify", "--since", str(junk), str(junk), env=env, check=False)
    assert ran.returncode == 2 and "无法读取表决记录包" in ran.stderr and "Traceback" not in ran.stderr
    lone = wuye_command("verify", str(junk), str(junk), env=env, check=False)
    assert lone.returncode == 2 and "--since" in lone.stderr


async def test_a_head_is_signed_when_the_interval_has_passed(db, open_meeting):
    m = open_meeting
    meeting = await get_meeting(m["id"])
    start = datetime.now(UTC)
    assert await sign_due_heads(db, clock=lambda: start) == []  # the head signed at the opening is fresh
    assert await sign_due_heads(db, clock=lambda: start + timedelta(hours=23)) == []
    assert await sign_due_heads(db, clock=lambda: start + timedelta(hours=25)) == [m["id"]]
    assert await sign_due_heads(db, clock=lambda: start + timedelta(hours=26)) == []
    closes = meeting["voting_closes"]
    assert await sign_due_heads(db, clock=lambda: closes + timedelta(minutes=5)) == [m["id"]]
    triggers = [(r["trigger"], r["signed_by"]) for r in await heads_of(meeting["id"])]
    assert triggers == [("open", "officer"), ("auto", "system:heads"), ("close", "system:heads")]
    audit = await AuditEntry.select().where(AuditEntry.action == "voting.head_sign")
    assert len(audit) == 3
    # the task started with the app runs the same round, and stops with it
    task = HeadTask(db, clock=lambda: closes + timedelta(days=3), period=0.01)
    task.start()
    import asyncio

    await asyncio.sleep(0.2)
    await task.stop()
    assert len(await heads_of(meeting["id"])) == 3  # closed and signed at the close: nothing more is due


async def test_the_console_action_is_audited_and_needs_the_right_role(
    db, client, open_meeting, staff_factory
):
    m = open_meeting
    url = f"/d/alpha/voting/meetings/{m['id']}/console/head"
    from core.district_services import add_district, add_estate

    other = await add_district(db, "test", "beta", "乙街道")
    await add_estate(db, "test", other, "E9", "别处花园")
    await staff_factory("stranger", "district_officer", "beta")
    token = await login(client, "stranger")
    refused = await client.post(url, data={"csrf_token": token})
    assert refused.status_code in (403, 404)
    await client.post("/logout", data={"csrf_token": token})

    await staff_factory("counter_a", "counter", "alpha", "E1")
    token = await login(client, "counter_a")
    assert (await client.post(url, data={"csrf_token": token})).status_code == 403
    await client.post("/logout", data={"csrf_token": token})

    await staff_factory("member_a", "committee_member", "alpha", "E1")
    token = await login(client, "member_a")
    done = await client.post(url, data={"csrf_token": token})
    assert done.status_code == 303 and "done=head" in done.headers["location"]
    audit = await AuditEntry.select().where(AuditEntry.action == "voting.head_sign").order_by(AuditEntry.id)
    assert audit[-1]["actor"].endswith("member_a") or "member_a" in audit[-1]["actor"]
    assert len(await heads_of((await get_meeting(m["id"]))["id"])) == 2  # the opening's and this one


async def test_the_public_page_shows_the_latest_head_and_links_the_snapshot(db, client, open_meeting):
    m = open_meeting
    await cast(client, m, 0)
    await sign_head(db, m["estate"], m["id"], "officer", settle=NOW)
    page = await client.get(f"/verify/{m['id']}")
    assert page.status_code == 200
    assert 'id="board-head"' in page.text and "不是表决结果" in page.text
    assert '<strong id="head-ballots">1</strong>' in page.text
    assert f"/verify/{m['id']}/snapshot.zip" in page.text
    snapshot = await client.get(f"/verify/{m['id']}/snapshot.zip")
    assert snapshot.status_code == 200 and snapshot.headers["content-type"].startswith("application/zip")


async def test_a_tampered_snapshot_fails_on_its_own(db, client, open_meeting, tmp_path):
    m = open_meeting
    mid = await mid_vote(db, client, m, tmp_path)
    source = zipfile.ZipFile(mid)

    def rewritten(name: str, change) -> object:
        out = tmp_path / f"tampered-{name}"
        with zipfile.ZipFile(out, "w") as target:
            for member in source.namelist():
                data = source.read(member)
                if member == name:
                    data = json.dumps(change(json.loads(data)), ensure_ascii=False).encode()
                target.writestr(member, data)
        return out

    def drop_first_ballot(record):
        del record["ballots"][0]
        return record

    def forge_signature(document):
        document["signature"] = "00" * 64
        return document

    dropped = codes(verify_bundle(rewritten("record.json", drop_first_ballot), workers=1))
    assert "seal_section_mismatch" in dropped and "seal_count_mismatch" in dropped
    assert codes(verify_bundle(rewritten("head.json", forge_signature), workers=1)) == [
        "head_signature_invalid"
    ]


async def test_the_cli_signs_a_head_and_exports_the_snapshot(db, client, open_meeting, tmp_path):
    m = open_meeting
    await cast(client, m, 0)
    env = wuye_env(
        db.settings.database_url, list(db.settings.extra_plugins), WUYE_VAR_DIR=str(db.settings.var_dir)
    )
    signed_head = json.loads(wuye_command("voting", "head", "-m", m["id"], "--json", env=env).stdout)
    assert signed_head["trigger"] == "cli" and signed_head["head"]["protocol"] == "wuye-head-v1"
    out = tmp_path / "s.zip"
    said = wuye_command("voting", "export", "-m", m["id"], "--snapshot", "--out", str(out), env=env).stdout
    assert "公示快照" in said
    report = json.loads(wuye_command("verify", str(out), "--json", env=env).stdout)
    assert report["ok"] and report["snapshot"] and report["at"] == signed_head["head"]["at"]
    audit = await AuditEntry.select().where(AuditEntry.action == "voting.head_sign").order_by(AuditEntry.id)
    details = audit[-1]["details"]
    assert (json.loads(details) if isinstance(details, str) else details)["trigger"] == "cli"
    refused = wuye_command(
        "voting", "export", "-m", m["id"], "--snapshot", "--full", "--out", str(out), env=env, check=False
    )
    assert refused.returncode == 2


async def test_no_head_is_signed_for_a_sealed_meeting(db, client, rehearsed_meeting, tmp_path):
    m = rehearsed_meeting
    await final(db, m, tmp_path)
    with pytest.raises(Exception) as refused:
        await sign_head(db, m["estate"], m["id"], "officer")
    assert getattr(refused.value, "code", "") == "voting_head_not_open"
    assert await sign_due_heads(db, clock=lambda: datetime.now(UTC) + timedelta(days=30)) == []
    snapshot = await client.get(f"/verify/{m['id']}/snapshot.zip")  # the last head's board, still public
    assert snapshot.status_code == 200
    missing = await client.get("/verify/no-such-meeting/snapshot.zip")
    assert missing.status_code == 404 and missing.json()["code"] == "voting_meeting_not_found"


async def test_a_ballot_or_revocation_backdated_before_the_snapshot_fails(
    db, client, rehearsed_meeting, tmp_path
):
    m = rehearsed_meeting
    mid = await mid_vote(db, client, m, tmp_path)
    bundle = await final(db, m, tmp_path)
    seed, _ = await meeting_key(db, (await get_meeting(m["id"]))["id"])
    old = json.loads(zipfile.ZipFile(mid).read("record.json"))
    at = json.loads(zipfile.ZipFile(mid).read("head.json"))["head"]["at"]
    on_board = {b["voter_no"] for b in old["ballots"]}
    active = {c["voter_no"] for c in old["credentials"] if c["revoked_at"] is None}

    def backdate(record):
        late = next(b for b in record["ballots"] if b["voter_no"] not in on_board)
        late["received_at"] = at  # "received" by the snapshot's time, yet not on its board
        revoked = next(c for c in record["credentials"] if c["voter_no"] in active - on_board)
        revoked["revoked_at"] = at
        return late["voter_no"]

    forged = tmp_path / "backdated.zip"
    forged.write_bytes(resealed(bundle.read_bytes(), seed, backdate))
    found = codes(verify_since(mid, forged, workers=1))
    assert "since_ballot_backdated" in found and "since_revocation_backdated" in found
