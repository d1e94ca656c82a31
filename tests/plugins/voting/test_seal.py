"""Sealing, the tally from the sealed record, export, and ``wuye verify`` (with tampered bundles)."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.data.tables import AuditEntry
from core.messages import message
from core.settings import PROJECT_ROOT
from core.signing import sign
from core.testing import office_today, wuye_command, wuye_env
from plugins.voting.protocol.record import seal_message, seal_root, seal_statement
from plugins.voting.services.paper import PaperEntry
from plugins.voting.services.seal import export_bundle, seal_meeting, tally_of
from plugins.voting.tables import VotingVoter
from tests.plugins.voting.conftest import enter_confirmed, make_ballot, post, signed


async def test_sealing_freezes_the_board_and_the_tally_comes_from_the_record(db, client, voted):
    m = voted
    result = await seal_meeting(db, m["estate"], m["id"], "officer")
    assert result["counts"] == {"voters": 4, "credentials": 4, "ballots": 2, "paper": 2}
    assert len(result["root"]) == 64
    audit = await AuditEntry.select().where(AuditEntry.action == "voting.meeting_seal")
    assert len(audit) == 1
    # nothing can be cast or entered after the seal
    seed = m["seeds"][3]
    late = await post(client, m, signed(m, seed, make_ballot(m, seed)))
    assert late.status_code == 409 and late.json()["code"] == "voting_cast_closed"
    serial = (await VotingVoter.select(VotingVoter.serial).where(VotingVoter.voter_no == 4).first())["serial"]
    with pytest.raises(Exception) as refused:
        await enter_confirmed(
            db,
            m["estate"],
            m["id"],
            "counter",
            [PaperEntry(serial, {1: "同意", 2: "同意", 3: ""})],
        )
    assert getattr(refused.value, "code", "") == "voting_paper_sealed"
    with pytest.raises(Exception) as again:
        await seal_meeting(db, m["estate"], m["id"], "officer")
    assert getattr(again.value, "code", "") == "voting_seal_already"

    # the stored record is exactly RFC 8785 (its ballots section is assembled from the stored texts)
    import rfc8785

    from plugins.voting.protocol.record import ballot_leaves, merkle_root, section_digests
    from plugins.voting.services.seal import record_text, sealed
    from plugins.voting.tables import VotingSeal

    stored = await VotingSeal.select().first()
    assert stored["record"] == ""  # rendered on first use from the sealed tables
    text = await record_text(db, await sealed(m["id"]))
    parsed = json.loads(text)
    assert rfc8785.dumps(parsed) == text.encode()
    statement = json.loads(stored["statement"])
    assert statement["sections"]["ballots"] == merkle_root(ballot_leaves(parsed)).hex()
    assert section_digests(parsed) == statement["sections"]
    assert (await VotingSeal.select().first())["record"] == text
    tally = await tally_of(m["id"])
    assert tally["counted"] == {"total": 3, "online": 2, "paper": 1}
    first = tally["motions"][0]
    # voters 1 (170.00, online agree), 2 (130.00, oppose), 3 (90.00 developer, paper agree); total 490.55
    assert first["area"] == {
        "total": "490.55",
        "participating": "390.00",
        "agree": "260.00",
        "oppose": "130.00",
        "abstain": "0.00",
        "not_voted": "100.55",
    }
    assert first["headcount"]["total"] == 4 and first["headcount"]["participating"] == 3
    assert first["headcount"]["agree"] == 2
    # participation: 390/490.55 >= 2/3 and 3/4 >= 2/3 ; agree 260/390 > 1/2 and 2/3 > 1/2
    assert first["participation_met"] is True and first["passed"] is True
    assert "通过" in first["reason"]
    election = tally["motions"][2]
    assert {c["id"]: c["headcount"] for c in election["candidates"]} == {"c1": 3, "c2": 1, "c3": 0}
    assert election["winners"] == ["c1"]
    assert {n["why"] for n in tally["set_aside"]} == {"dual_ballot_online"}


async def test_the_register_frozen_at_publication_is_what_the_tables_hold(db, voted):
    """The seal reads the register section written at publication; a meeting published before that
    text existed is read from the voter and unit rows — the same record, byte for byte."""

    from core.data.db import transaction
    from plugins.voting.protocol.record import section_texts
    from plugins.voting.services.meetings import get_meeting
    from plugins.voting.services.seal import build_record
    from plugins.voting.tables import VotingFrozenRegister

    meeting = await get_meeting(voted["id"])
    at = datetime.now(UTC)
    known: dict[str, bytes] = {}
    async with transaction(VotingFrozenRegister._meta.db):  # the seal reads in one transaction
        frozen = await build_record(db, meeting, at, "officer", known=known)
    assert set(known) == {"register"} and len(frozen["register"]["voters"]) == 4
    assert known["register"] == section_texts(frozen)["register"]
    await VotingFrozenRegister.delete().where(VotingFrozenRegister.meeting == meeting["id"])
    rows: dict[str, bytes] = {}
    async with transaction(VotingFrozenRegister._meta.db):
        from_rows = await build_record(db, meeting, at, "officer", known=rows)
    assert rows == {} and from_rows == frozen
    assert section_texts(from_rows)["register"] == known["register"]


async def test_cli_tally_export_and_verify(db, voted, tmp_path):
    m = voted
    env = wuye_env(
        db.settings.database_url, list(db.settings.extra_plugins), WUYE_VAR_DIR=str(db.settings.var_dir)
    )
    early = wuye_command("voting", "tally", "-m", m["id"], "--json", env=env, check=False)
    assert early.returncode == 2 and "尚未封存" in early.stderr
    wuye_command("voting", "seal", "-m", m["id"], env=env)
    out = json.loads(wuye_command("voting", "tally", "-m", m["id"], "--json", env=env).stdout)
    assert out["meeting"] == m["id"] and out["profile"] == "national"
    motion = out["motions"][0]
    assert set(motion) >= {
        "motion",
        "title",
        "matter",
        "rule",
        "area",
        "headcount",
        "participation_met",
        "passed",
        "reason",
    }
    assert motion["area"]["total"] == "490.55" and motion["headcount"]["total"] == 4
    assert motion["rule"]["fraction"] == "1/2" and motion["rule"]["inclusive"] is False
    bundle = tmp_path / "bundle.zip"
    wuye_command("voting", "export", "-m", m["id"], "--out", str(bundle), env=env)
    ok = wuye_command("verify", str(bundle), env=env)
    assert "全部核验通过" in ok.stdout
    report = json.loads(wuye_command("verify", str(bundle), "--json", env=env).stdout)
    assert report["ok"] is True and report["checked"]["ballots"] == 2 and report["discrepancies"] == []
    # unusable input: exit 2 with a message, no traceback
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    junk = wuye_command("verify", str(tmp_path / "junk.zip"), env=env, check=False)
    assert junk.returncode == 2 and "无法读取" in junk.stderr and "Traceback" not in junk.stderr
    missing = wuye_command("verify", str(tmp_path / "nope.zip"), env=env, check=False)
    assert missing.returncode == 2


def rewrite(bundle: bytes, change) -> bytes:
    """The bundle with record.json (and possibly seal.json) changed by ``change(record, seal)``."""
    source = zipfile.ZipFile(io.BytesIO(bundle))
    record = json.loads(source.read("record.json"))
    seal = json.loads(source.read("seal.json"))
    change(record, seal)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "record.json":
                data = json.dumps(record, ensure_ascii=False).encode()
            if name == "seal.json":
                data = json.dumps(seal, ensure_ascii=False).encode()
            target.writestr(name, data)
    return out.getvalue()


def resealed(public_id: str, seed: bytes, mutate):
    """A ``rewrite`` change: the record changed by ``mutate(record)``, then re-digested and re-signed
    with the meeting's own key (what an operator holding the database could do): the seal holds, so
    only the verifier's own checks can catch the change."""

    def change(record, seal):
        mutate(record)
        statement = seal_statement(record)
        statement["protocol"] = seal["statement"]["protocol"]
        statement["sealed_at"] = seal["statement"]["sealed_at"]
        seal.update(
            statement=statement,
            root=seal_root(public_id, statement),
            signature=sign(seed, seal_message(public_id, statement)).hex(),
        )

    return change


def changed_choice(record, seal):
    choice = record["ballots"][0]["ballot"]["choices"][0]
    choice["choice"] = "oppose" if choice["choice"] == "agree" else "agree"


def dropped_ballot(record, seal):
    del record["ballots"][1]


def duplicated_ballot(record, seal):
    record["ballots"].append(copy.deepcopy(record["ballots"][0]))


def edited_area(record, seal):
    record["register"]["voters"][0]["area_centi"] += 10000


def swapped_signature(record, seal):
    a, b = record["ballots"][0], record["ballots"][1]
    a["signature"], b["signature"] = b["signature"], a["signature"]


def changed_rule(record, seal):
    record["rules"]["thresholds"]["voting.ordinary"]["fraction"] = "1/3"


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (changed_choice, {"ballot_hash_mismatch", "tally_mismatch"}),
        (dropped_ballot, {"seal_count_mismatch", "seal_section_mismatch"}),
        (duplicated_ballot, {"ballot_duplicate_voter", "ballot_duplicate_hash"}),
        (edited_area, {"tally_mismatch", "seal_section_mismatch"}),
        (swapped_signature, {"ballot_signature_invalid", "seal_section_mismatch"}),
        (changed_rule, {"seal_section_mismatch"}),
    ],
    ids=[
        "changed-choice",
        "dropped-ballot",
        "duplicated-ballot",
        "edited-area",
        "swapped-signature",
        "changed-rule",
    ],
)
async def test_a_tampered_bundle_fails_with_the_discrepancy_named(db, voted, tmp_path, tamper, expected):
    from plugins.voting.protocol.verifier import verify_bundle

    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    original = await export_bundle(db, voted["id"])
    (tmp_path / "ok.zip").write_bytes(original)
    assert verify_bundle(tmp_path / "ok.zip", workers=1).ok
    (tmp_path / "bad.zip").write_bytes(rewrite(original, tamper))
    report = verify_bundle(tmp_path / "bad.zip", workers=1)
    codes = {d["code"] for d in report.discrepancies}
    assert not report.ok and expected <= codes, codes
    if tamper is changed_rule:
        assert any(d.get("section") == "rules" for d in report.discrepancies)
    if tamper is edited_area:
        assert any(d.get("section") == "register" for d in report.discrepancies)
    if tamper is swapped_signature:
        record = json.loads(zipfile.ZipFile(io.BytesIO(original)).read("record.json"))
        assert {d["voter_no"] for d in report.discrepancies if d["code"] == "ballot_signature_invalid"} == {
            record["ballots"][0]["voter_no"],
            record["ballots"][1]["voter_no"],
        }


async def test_the_worker_pool_reports_exactly_what_one_process_does(db, voted, tmp_path, monkeypatch):
    """Large bundles are checked by forked workers, a range of ballots each: the same discrepancies,
    in the same order, as one process finds."""
    from plugins.voting.protocol import verifier

    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    original = await export_bundle(db, voted["id"])
    (tmp_path / "bad.zip").write_bytes(
        rewrite(
            original, lambda record, seal: (swapped_signature(record, seal), changed_choice(record, seal))
        )
    )
    alone = verifier.verify_bundle(tmp_path / "bad.zip", workers=1)
    monkeypatch.setattr(verifier, "PARALLEL_FROM", 1)
    monkeypatch.setattr(verifier, "CHUNK", 1)
    pooled = verifier.verify_bundle(tmp_path / "bad.zip", workers=2)
    assert not pooled.ok and pooled.discrepancies == alone.discrepancies
    assert {"ballot_signature_invalid", "ballot_hash_mismatch"} <= {d["code"] for d in pooled.discrepancies}
    assert pooled.checked == alone.checked and verifier._shared is None


def test_the_verifier_imports_no_database_layer_and_needs_no_database(tmp_path):
    code = (
        "import sys, plugins.voting.protocol.verifier, plugins.voting.cli;"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('piccolo','asyncpg','aiosqlite','litestar')"
        " or m in ('core.data.db','core.data.tables','core.runtime','plugins.voting.tables')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


async def test_verify_runs_without_a_database(db, voted, tmp_path):
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    bundle = tmp_path / "b.zip"
    bundle.write_bytes(await export_bundle(db, voted["id"]))
    env = wuye_env("postgresql://nobody@127.0.0.1:1/none", [])
    result = wuye_command("verify", str(bundle), "--json", env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True
    assert Path(bundle).exists()


async def test_the_verify_command_exits_1_listing_discrepancies_and_2_on_a_misshapen_record(
    db, voted, tmp_path
):
    """Through the program itself (which leaves without tearing down the parsed record): its whole
    output arrives, and the exit code says what was found."""
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    original = await export_bundle(db, voted["id"])
    env = wuye_env("postgresql://nobody@127.0.0.1:1/none", [])
    (tmp_path / "bad.zip").write_bytes(rewrite(original, swapped_signature))
    bad = wuye_command("verify", str(tmp_path / "bad.zip"), env=env, check=False)
    assert bad.returncode == 1, bad.stderr
    assert bad.stdout.count("[ballot_signature_invalid]") == 2 and "处不一致" in bad.stdout
    as_json = wuye_command("verify", str(tmp_path / "bad.zip"), "--json", env=env, check=False)
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["ok"] is False

    def no_motion_kinds(record, seal):
        for motion in record["meeting"]["motions"]:
            del motion["kind"]

    (tmp_path / "shape.zip").write_bytes(rewrite(original, no_motion_kinds))
    shape = wuye_command("verify", str(tmp_path / "shape.zip"), env=env, check=False)
    assert shape.returncode == 2 and "Traceback" not in shape.stderr and "record.json" in shape.stderr
    assert message("bundle_bad_shape", name="record.json", detail="meeting.motions") in shape.stderr

    def no_receipt_time(record, seal):
        del record["ballots"][0]["received_at"]

    (tmp_path / "time.zip").write_bytes(rewrite(original, no_receipt_time))
    untimed = wuye_command("verify", str(tmp_path / "time.zip"), "--json", env=env, check=False)
    assert untimed.returncode == 1 and "Traceback" not in untimed.stderr, untimed.stderr
    found = json.loads(untimed.stdout)["discrepancies"]
    assert {"ballot_after_close", "tally_uncomputable", "seal_section_mismatch"} <= {d["code"] for d in found}


async def test_console_seal_announcement_and_deadline(db, client, voted, staff_factory, tmp_path):
    from docx import Document

    from core.testing import login, qr_codes_in_document

    await staff_factory("officer_a", "district_officer", "alpha")
    await staff_factory("member", "committee_member", "alpha", "E1")
    csrf = await login(client, "officer_a")
    base = f"/d/alpha/voting/meetings/{voted['id']}"
    early = await client.get(f"{base}/result.docx")
    assert early.status_code == 409 and early.json()["code"] == "voting_announce_not_sealed"
    sealed = await client.post(f"{base}/seal", json={}, headers={"X-CSRF-Token": csrf})
    assert sealed.status_code == 200, sealed.text
    root = sealed.json()["root"]
    page = await client.get(f"{base}/console")
    assert root in page.text and 'data-state="pending"' in page.text and "通过" in page.text

    await client.post("/logout", headers={"X-CSRF-Token": csrf})
    await login(client, "member")
    response = await client.get(f"{base}/result.docx")
    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "表决结果公告" in text and root in text and "周监票" in text and "吴计票" in text
    assert "1. 续聘示范物业管理有限公司（选聘和解聘物业服务企业或者其他管理人）：通过" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "490.55" in cells and "260.00" in cells and "同意" in cells
    assert "75.00%\n3/4" in cells  # 3 of the 4 owners took part: the share over its counts, unreduced
    assert len(document.inline_shapes) == 1
    codes = qr_codes_in_document(response.content, tmp_path / "qr", last_page=9)
    assert any(code.endswith(f"/verify/{voted['id']}") for code in codes), codes
    page = await client.get(f"{base}/console")
    assert 'data-state="on_time"' in page.text
    audit = await AuditEntry.select().where(AuditEntry.action == "voting.result_announce")
    assert len(audit) == 1
    number = f"示范花园业字〔{office_today().year}〕1号"  # 发文字号: the estate's owners' assembly's first
    assert number in text.split("\n")[:3]  # under the letterhead
    again = await client.get(f"{base}/result.docx")
    assert number in "\n".join(p.text for p in Document(io.BytesIO(again.content)).paragraphs)
    issues = AuditEntry.select().where(AuditEntry.action == "voting.result_announce")
    audit = await issues.order_by(AuditEntry.id)
    assert [json.loads(a["details"])["doc_number"] for a in audit] == [number, number]  # kept, not new
    page = await client.get(f"{base}/console")
    assert f'<span id="result-number">{number}</span>' in page.text  # the meeting page names the 文号


async def test_public_verify_page_checks_receipts_and_offers_the_bundle(db, client, voted, tmp_path):
    from plugins.voting.protocol.record import root_from_path
    from plugins.voting.protocol.verifier import verify_bundle

    receipt = voted["receipts"][0]
    before = await client.post(f"/verify/{voted['id']}/receipt", json=receipt)
    assert before.status_code == 200
    assert before.json()["signature_valid"] is True and before.json()["sealed"] is False
    page = await client.get(f"/verify/{voted['id']}")
    assert page.status_code == 200 and "计票尚未完成" in page.text

    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    page = await client.get(f"/verify/{voted['id']}")
    assert "续聘示范物业管理有限公司" in page.text and "490.55" in page.text
    # shares over their counts, unreduced, breaking only at the slash
    share = '<span class="share"><span class="pct">75.00%</span><span>3/</span><wbr><span>4</span></span>'
    assert share in page.text
    check = (await client.post(f"/verify/{voted['id']}/receipt", json=receipt)).json()
    assert (
        check["signature_valid"] and check["included"] and check["counted"] is True
    )  # online beats the paper conflict
    leaf = bytes.fromhex(check["leaf"])
    assert root_from_path(leaf, check["path"]).hex() == check["ballots_root"]
    # when the ballot was received, in the district's zone and in words (the receipt holds UTC)
    received = datetime.fromisoformat(receipt["receipt"]["received_at"].replace("Z", "+00:00"))
    local = received.astimezone(ZoneInfo("Asia/Shanghai"))
    words = f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    assert check["received_at_local"] == words and f"系统收到这张表决票的时间：{words}" in check["message"]
    by_hash = (
        await client.post(
            f"/verify/{voted['id']}/receipt", json={"ballot_hash": receipt["receipt"]["ballot_hash"]}
        )
    ).json()
    assert by_hash["included"] is True and "signature_valid" not in by_hash
    forged = copy.deepcopy(receipt)
    forged["receipt"]["received_at"] = "2020-01-01T00:00:00.000000Z"
    bad = (await client.post(f"/verify/{voted['id']}/receipt", json=forged)).json()
    assert bad["signature_valid"] is False and "无效" in bad["message"] and "收到这张" not in bad["message"]
    unknown = (await client.post(f"/verify/{voted['id']}/receipt", json={"ballot_hash": "0" * 64})).json()
    assert unknown["included"] is False and "没有这张表决票" in unknown["message"]
    junk = await client.post(
        f"/verify/{voted['id']}/receipt", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert junk.status_code == 400 and junk.json()["code"] == "voting_receipt_invalid"
    result = (await client.get(f"/verify/{voted['id']}/result")).json()
    assert result["motions"][0]["passed"] is True and len(result["root"]) == 64
    bundle = await client.get(f"/verify/{voted['id']}/bundle.zip")
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
    (tmp_path / "b.zip").write_bytes(bundle.content)
    assert verify_bundle(tmp_path / "b.zip", workers=1).ok


async def test_a_receipt_qr_links_to_the_public_page_which_checks_it(db, client, voted, tmp_path):
    """The receipt image's QR code: made only for a genuine receipt, decoded by zbarimg to the public
    page with the receipt packed in the fragment, and that link checks exactly as the receipt does."""
    from core.testing import qr_codes_in_image

    receipt = voted["receipts"][0]
    url = f"/verify/{voted['id']}/receipt-qr"
    image = await client.post(url, json={"receipt": receipt["receipt"], "signature": receipt["signature"]})
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    (tmp_path / "qr.png").write_bytes(image.content)
    (link,) = qr_codes_in_image(tmp_path / "qr.png")
    assert link.startswith(f"http://127.0.0.1:8000/verify/{voted['id']}#r=")

    forged = copy.deepcopy(receipt)
    forged["receipt"]["received_at"] = "2020-01-01T00:00:00.000000Z"
    for bad in (forged, {"receipt": "x", "signature": "y"}, [], {"ballot_hash": "0" * 64}):
        refused = await client.post(url, json=bad)
        assert refused.status_code == 400 and refused.json()["code"] == "voting_receipt_invalid"
    junk = await client.post(url, content=b"{", headers={"content-type": "application/json"})
    assert junk.status_code == 400

    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    check = (await client.post(f"/verify/{voted['id']}/receipt", json={"link": link})).json()
    assert check["signature_valid"] is True and check["included"] is True
    assert check["receipt"] == {"receipt": receipt["receipt"], "signature": receipt["signature"]}
    tampered = link[:-30] + ("A" if link[-30] != "A" else "B") + link[-29:]
    assert (await client.post(f"/verify/{voted['id']}/receipt", json={"link": tampered})).json()[
        "signature_valid"
    ] is False
    for bad_link in ("https://x/verify/m#r=short.2026", "no fragment", 7):
        refused = await client.post(f"/verify/{voted['id']}/receipt", json={"link": bad_link})
        assert refused.status_code == 400 and refused.json()["code"] == "voting_receipt_invalid"


def floated_area(record, seal):
    """10000 written as 10000.0: the same JSON number, so RFC 8785 encodes it identically."""
    record["register"]["voters"][0]["area_centi"] = float(record["register"]["voters"][0]["area_centi"])


async def test_the_fast_encoding_never_decides_a_discrepancy_on_its_own(db, voted, tmp_path):
    """json.dumps writes 10000.0 where RFC 8785 writes 10000: the verifier must fall back to the strict
    encoding and find nothing wrong."""
    from plugins.voting.protocol.verifier import verify_bundle

    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    (tmp_path / "b.zip").write_bytes(rewrite(await export_bundle(db, voted["id"]), floated_area))
    report = verify_bundle(tmp_path / "b.zip", workers=1)
    assert report.ok, report.discrepancies


def _bundle_with(bundle: bytes, **members: bytes) -> bytes:
    """The bundle with some members' bytes replaced (``record_json`` names record.json)."""
    replaced = {name.replace("_json", ".json"): data for name, data in members.items()}
    source = zipfile.ZipFile(io.BytesIO(bundle))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, replaced.get(name, source.read(name)))
    return out.getvalue()


def _known(value, like):
    """``value`` without the object keys that ``like`` (the original) does not have."""
    if isinstance(value, dict) and isinstance(like, dict):
        return {k: _known(v, like[k]) for k, v in value.items() if k in like}
    if isinstance(value, list) and isinstance(like, list) and len(value) == len(like):
        return [_known(v, w) for v, w in zip(value, like, strict=True)]
    return value


def _same_documents(bundle: bytes, original: bytes) -> bool:
    """Whether a mutated bundle still holds the original's documents, but perhaps for keys no check
    reads (the zip's timestamps or README changed, an unknown key added)."""
    try:
        mutated, source = zipfile.ZipFile(io.BytesIO(bundle)), zipfile.ZipFile(io.BytesIO(original))
        names = ("record.json", "seal.json", "tally.json")
        docs = [(json.loads(mutated.read(n)), json.loads(source.read(n))) for n in names]
        return all(_known(doc, like) == like for doc, like in docs)
    except Exception:
        return False


async def test_a_mutated_bundle_is_verified_with_exit_1_or_refused_with_exit_2_never_a_traceback(
    db, voted, tmp_path
):
    import random

    from core.testing_mutations import WuyeProcess, has_chinese, mutate, mutate_json

    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    original = await export_bundle(db, voted["id"])
    source = zipfile.ZipFile(io.BytesIO(original))
    record, seal = json.loads(source.read("record.json")), json.loads(source.read("seal.json"))
    rng = random.Random(20261203)
    bundles = {f"bytes-{n}": mutate(original, rng) for n in range(10)}
    for n in range(14):
        bundles[f"record-{n}"] = _bundle_with(
            original, record_json=json.dumps(mutate_json(record, rng)).encode()
        )
    for n in range(4):
        bundles[f"seal-{n}"] = _bundle_with(original, seal_json=json.dumps(mutate_json(seal, rng)).encode())
        text = json.dumps(record, ensure_ascii=False).encode()
        bundles[f"record-bytes-{n}"] = _bundle_with(original, record_json=mutate(text, rng))
    codes = []
    with WuyeProcess(wuye_env("postgresql://nobody@127.0.0.1:1/none", [])) as wuye:
        for name, content in bundles.items():
            (tmp_path / f"{name}.zip").write_bytes(content)
            result = wuye.run("verify", str(tmp_path / f"{name}.zip"), "--workers", "1")
            assert "Traceback" not in result.stderr, (name, result.stderr)
            codes.append(result.returncode)
            if result.returncode == 0:
                assert _same_documents(content, original), name
            elif result.returncode == 1:
                assert "处不一致" in result.stdout and "✗ [" in result.stdout, (name, result.stdout)
            else:
                assert result.returncode == 2 and has_chinese(result.stderr), (name, result.stderr)
    assert codes.count(1) >= 6 and codes.count(2) >= 4, codes
