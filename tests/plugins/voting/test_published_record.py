"""The published record (docs/protocol.md §10): the public bundle names no unit and no owner, yet anyone
re-checks every signature and the tally; the full record, for those entitled to it and audited, opens
every commitment so the register itself is checked; an owner gets their own entry; bundles sealed
before (v1) still verify."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from core.data.tables import AuditEntry
from core.testing import login, wuye_command, wuye_env
from plugins.voting.protocol.published import voter_commitment
from plugins.voting.protocol.verifier import verify_bundle
from plugins.voting.services.seal import export_bundle, seal_meeting
from tests.plugins.voting.conftest import REGISTER_ROWS
from tests.plugins.voting.test_seal import changed_choice, dropped_ballot, rewrite, swapped_signature
from tests.plugins.voting.test_sheet import ask, proof

V1_BUNDLE = Path(__file__).parents[2] / "fixtures" / "bundles" / "record-v1.zip"
UNIT_CODES = [row.split(",")[0] for row in REGISTER_ROWS]
NAMES = {row.split(",")[4] for row in REGISTER_ROWS}
OWNER_KEYS = {row.split(",")[3] for row in REGISTER_ROWS}


def members(bundle: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    return {name: archive.read(name) for name in archive.namelist()}


def rewrite_private(bundle: bytes, change) -> bytes:
    parts = members(bundle)
    private = json.loads(parts["private.json"])
    change(private)
    parts["private.json"] = json.dumps(private, ensure_ascii=False).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def codes_of(path: Path) -> set[str]:
    return {d["code"] for d in verify_bundle(path, workers=1).discrepancies}


async def test_the_public_bundle_names_no_unit_owner_or_serial_and_still_verifies(db, voted, tmp_path):
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    public = await export_bundle(db, voted["id"])
    parts = members(public)
    assert set(parts) == {"record.json", "seal.json", "tally.json", "README.txt"}
    everything = b"".join(parts.values()).decode()
    for code in UNIT_CODES:
        assert f'"{code}"' not in everything, code
    for name in NAMES:
        assert name not in everything, name
    serials = [c.serial for c in voted["issued"]]
    for serial in serials:
        assert serial not in everything, serial
    record = json.loads(parts["record.json"])
    assert record["protocol"] == "wuye-record-v2"
    assert json.loads(parts["seal.json"])["protocol"] == "wuye-seal-v2"
    voter = record["register"]["voters"][0]
    assert set(voter) == {"voter_no", "area_centi", "heads", "commitment"}
    assert not any(set(o) & {"owner_key", "units"} for o in record["register"]["voters"])
    assert all("entered_by" not in p and "sheet_serial" not in p for p in record["paper"])
    # the record numbers are a permutation, not the register's order: the 2-unit voter 张三 (1-101 and
    # 1-102, 170.00 m²) is register voter 1; the public area list is not the register's
    areas = [v["area_centi"] for v in record["register"]["voters"]]
    assert sorted(areas) == sorted([17000, 13000, 9000, 10055])
    (tmp_path / "public.zip").write_bytes(public)
    report = verify_bundle(tmp_path / "public.zip", workers=1)
    assert report.ok, report.discrepancies
    assert report.checked["signatures"] == 3 and report.checked["private"] == 0
    assert report.tally is not None and report.tally["motions"][0]["passed"] is True


async def test_the_full_record_opens_every_commitment_and_checks_the_register(db, voted, tmp_path):
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    full = await export_bundle(db, voted["id"], full=True)
    parts = members(full)
    private = json.loads(parts["private.json"])
    assert private["protocol"] == "wuye-private-v2"
    assert private["root"] == json.loads(parts["seal.json"])["root"]
    assert [u["unit_code"] for v in private["voters"] for u in v["units"]] == UNIT_CODES
    assert all(any(v["name"].startswith(name) for v in private["voters"]) for name in NAMES)
    assert {p["entered_by"] for p in private["paper"]} == {"counter"}
    # the public part of the full bundle is the public bundle, byte for byte
    public = members(await export_bundle(db, voted["id"]))
    assert all(parts[name] == public[name] for name in ("record.json", "seal.json", "tally.json"))
    (tmp_path / "full.zip").write_bytes(full)
    report = verify_bundle(tmp_path / "full.zip", workers=1)
    assert report.ok, report.discrepancies
    assert report.checked["private"] == 1 and report.checked["units"] == 7

    def moved_unit(private):  # a unit moved to another voter: the grouping and the commitments break
        unit = private["voters"][0]["units"].pop()
        private["voters"][1]["units"].append(unit)

    def edited_unit_area(private):
        private["voters"][0]["units"][0]["area_centi"] += 100

    def other_entered_by(private):
        private["paper"][0]["entered_by"] = "someone-else"

    def dropped_voter(private):
        del private["voters"][2]

    def renamed(private):
        private["voters"][0]["name"] = "冒名"

    def wrong_root(private):
        private["root"] = "0" * 64

    for change, expected in (
        (moved_unit, {"private_commitment_mismatch", "register_area_mismatch"}),
        (
            edited_unit_area,
            {"private_commitment_mismatch", "register_area_mismatch", "register_digest_mismatch"},
        ),
        (other_entered_by, {"private_paper_mismatch"}),
        (dropped_voter, {"private_missing_voter"}),
        (renamed, {"private_commitment_mismatch"}),
        (wrong_root, {"private_meeting_mismatch"}),
    ):
        (tmp_path / "bad.zip").write_bytes(rewrite_private(full, change))
        found = codes_of(tmp_path / "bad.zip")
        assert expected <= found, (change.__name__, found)

    # and the tamperings the public record catches, in both bundles
    for bundle in (full, await export_bundle(db, voted["id"])):
        for change, expected in (
            (changed_choice, {"ballot_hash_mismatch", "tally_mismatch"}),
            (dropped_ballot, {"seal_count_mismatch", "seal_section_mismatch"}),
            (swapped_signature, {"ballot_signature_invalid"}),
        ):
            (tmp_path / "bad.zip").write_bytes(rewrite(bundle, change))
            found = codes_of(tmp_path / "bad.zip")
            assert expected <= found, (change.__name__, found)


async def test_a_bundle_sealed_before_the_published_record_still_verifies_and_still_fails_when_tampered(
    tmp_path,
):
    assert verify_bundle(V1_BUNDLE, workers=1).ok
    record = json.loads(zipfile.ZipFile(V1_BUNDLE).read("record.json"))
    assert record["protocol"] == "wuye-record-v1" and record["register"]["units"]

    def edited_area(record, seal):
        record["register"]["units"][0]["area_centi"] += 10000
        record["register"]["voters"][0]["area_centi"] += 10000

    for change, expected in (
        (edited_area, {"register_digest_mismatch", "seal_section_mismatch"}),
        (changed_choice, {"ballot_hash_mismatch"}),
        (swapped_signature, {"ballot_signature_invalid"}),
    ):
        (tmp_path / "bad.zip").write_bytes(rewrite(V1_BUNDLE.read_bytes(), change))
        assert expected <= codes_of(tmp_path / "bad.zip"), change.__name__


async def test_the_verify_command_reads_either_bundle(db, voted, tmp_path):
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    env = wuye_env(
        db.settings.database_url, list(db.settings.extra_plugins), WUYE_VAR_DIR=str(db.settings.var_dir)
    )
    for flags, name in (((), "public.zip"), (("--full",), "full.zip")):
        out = tmp_path / name
        exported = wuye_command("voting", "export", "-m", voted["id"], "--out", str(out), *flags, env=env)
        assert ("完整" if flags else "公开") in exported.stdout
        result = json.loads(wuye_command("verify", str(out), "--json", env=env).stdout)
        assert result["ok"] is True and result["checked"]["private"] == (1 if flags else 0)
    assert "private.json" in zipfile.ZipFile(tmp_path / "full.zip").namelist()
    assert "请勿转发" in zipfile.ZipFile(tmp_path / "full.zip").read("README.txt").decode()
    assert "private.json" not in zipfile.ZipFile(tmp_path / "public.zip").namelist()
    audit = await AuditEntry.select().where(AuditEntry.action == "voting.record_download")
    assert len(audit) == 1 and audit[0]["actor"].startswith("cli:")


async def test_the_full_record_route_is_for_the_office_and_the_estate_and_every_download_is_audited(
    db, client, voted, staff_factory
):
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    url = f"/d/alpha/voting/meetings/{voted['id']}/record.zip"
    assert (await client.get(url)).status_code in {401, 403}  # anonymous: never
    public = await client.get(f"/verify/{voted['id']}/bundle.zip")
    assert (
        public.status_code == 200
        and "private.json" not in zipfile.ZipFile(io.BytesIO(public.content)).namelist()
    )
    await staff_factory("officer_a", "district_officer", "alpha")
    await staff_factory("member", "committee_member", "alpha", "E1")
    for user in ("officer_a", "member"):
        csrf = await login(client, user)
        response = await client.get(url)
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        assert "private.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        console = await client.get(f"/d/alpha/voting/meetings/{voted['id']}/console")
        assert 'id="full-record"' in console.text and "记入审计日志" in console.text
        await client.post("/logout", headers={"X-CSRF-Token": csrf})
    audit = await AuditEntry.select().where(AuditEntry.action == "voting.record_download")
    assert [a["actor"].rpartition(":")[2] for a in audit] == ["officer_a", "member"]
    assert all(a["target"] == voted["id"] for a in audit)


async def test_an_owner_gets_their_own_entry_and_can_check_it_against_the_public_bundle(db, client, voted):
    meeting, seed = voted["id"], voted["seeds"][0]
    before = (await ask(client, meeting, proof(meeting, seed))).json()
    assert before["record"] is None  # nothing to open before the seal
    await seal_meeting(db, voted["estate"], meeting, "officer")
    mine = (await ask(client, meeting, proof(meeting, seed))).json()["record"]
    opening = mine["voter"]
    assert [u["unit_code"] for u in opening["units"]] == ["1-101", "1-102"] and opening["name"] == "张三"
    assert voter_commitment(meeting, opening) == mine["commitment"]
    record = json.loads(members(await export_bundle(db, meeting))["record.json"])
    public = {v["voter_no"]: v for v in record["register"]["voters"]}[opening["voter_no"]]
    assert public["commitment"] == mine["commitment"] and public["area_centi"] == 17000
    # the owner's ballot in the public record is under the same record number
    (ballot,) = [b for b in record["ballots"] if b["voter_no"] == opening["voter_no"]]
    assert ballot["ballot_hash"] == voted["receipts"][0]["receipt"]["ballot_hash"]


async def test_a_profile_that_publishes_named_results_puts_the_private_record_in_the_public_bundle(
    db, client, voted, tmp_path
):
    """The profile's rule as frozen at publication decides (here: a meeting published under a profile
    whose committees must post named results)."""
    from plugins.voting.tables import VotingMeeting

    row = (
        await VotingMeeting.select(VotingMeeting.rules_snapshot)
        .where(VotingMeeting.public_id == voted["id"])
        .first()
    )
    rules = (
        json.loads(row["rules_snapshot"]) if isinstance(row["rules_snapshot"], str) else row["rules_snapshot"]
    )
    assert rules["rules"]["voting"]["published_record"]["value"] == "pseudonymous"  # the default
    rules["rules"]["voting"]["published_record"]["value"] = "named"
    await VotingMeeting.update({VotingMeeting.rules_snapshot: json.dumps(rules, ensure_ascii=False)}).where(
        VotingMeeting.public_id == voted["id"]
    )
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    bundle = await client.get(f"/verify/{voted['id']}/bundle.zip")
    parts = members(bundle.content)
    assert "private.json" in parts and "1-101" in parts["private.json"].decode()
    readme = parts["README.txt"].decode()
    assert "记名公布" in readme and "请勿转发" not in readme  # it is public: its README says so
    full = members(await export_bundle(db, voted["id"], full=True))["README.txt"].decode()
    assert "记名公布" in full
    (tmp_path / "named.zip").write_bytes(bundle.content)
    assert verify_bundle(tmp_path / "named.zip", workers=1).ok


def _jcs(value) -> bytes:
    """RFC 8785 for what these documents hold (ASCII keys, strings, integers, booleans, lists)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


async def test_record_numbers_salts_and_commitments_follow_the_document_alone(db, voted):
    """§10.1-10.2 recomputed with hmac, hashlib and json only, from the meeting key's seed."""
    import hashlib
    import hmac

    from plugins.voting.services.keys import meeting_key
    from plugins.voting.services.meetings import get_meeting

    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    meeting = voted["id"]
    full = members(await export_bundle(db, meeting, full=True))
    record, private = json.loads(full["record.json"]), json.loads(full["private.json"])
    seed, _ = await meeting_key(db, (await get_meeting(meeting))["id"])
    secret = hmac.digest(seed, b"wuye-record-v2\x00" + meeting.encode(), "sha256")

    def mac(*parts: str) -> str:
        return hmac.digest(secret, "\x00".join(parts).encode(), "sha256").hex()

    serials = [v["serial"] for v in private["voters"]]
    assert serials == sorted(serials)  # register order
    numbers = {s: i for i, s in enumerate(sorted(serials, key=lambda s: mac("order", s)), start=1)}
    public = {v["voter_no"]: v for v in record["register"]["voters"]}
    for opening in private["voters"]:
        assert opening["voter_no"] == numbers[opening["serial"]]
        assert opening["salt"] == mac("voter", opening["serial"])
        body = {"protocol": "wuye-voter-v2", "meeting": meeting, **opening}
        assert hashlib.sha256(_jcs(body)).hexdigest() == public[opening["voter_no"]]["commitment"]
    custody = {(p["voter_no"], p["version"]): p["custody"] for p in record["paper"]}
    for opening in private["paper"]:
        assert opening["salt"] == mac("paper", opening["sheet_serial"])
        assert len(opening.pop("sheet_salt")) == 32  # opens the confirmation's sheet commitment (§8.2)
        body = {"protocol": "wuye-paper-v2", "meeting": meeting, **opening}
        assert hashlib.sha256(_jcs(body)).hexdigest() == custody[(opening["voter_no"], opening["version"])]


def test_a_zip_bomb_is_refused_unread(tmp_path, monkeypatch):
    """A member that inflates past the limit is refused (exit 2 material), whatever its header says."""
    import pytest

    from plugins.voting.protocol import verifier

    monkeypatch.setattr(verifier, "MAX_MEMBER_BYTES", 1 << 20)
    parts = members(V1_BUNDLE.read_bytes())
    parts["record.json"] = b" " * (2 << 20)  # 2 MB of spaces: a few kB compressed
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert len(out.getvalue()) < 100_000
    (tmp_path / "bomb.zip").write_bytes(out.getvalue())
    with pytest.raises(verifier.BundleError) as refused:
        verifier.verify_bundle(tmp_path / "bomb.zip", workers=1)
    assert refused.value.code == "bundle_too_large" and "record.json" in refused.value.message


async def test_an_unsigned_member_slipped_into_a_ballot_entry_is_a_discrepancy(db, voted, tmp_path):
    """The ballots' leaves commit to five members: anything else added (a flat's number beside a
    ballot, say) would pass as part of a verified record unless it is refused."""
    await seal_meeting(db, voted["estate"], voted["id"], "officer")

    def labelled(record, seal):
        record["ballots"][0]["unit_code"] = "1-101"

    (tmp_path / "bad.zip").write_bytes(rewrite(await export_bundle(db, voted["id"]), labelled))
    report = verify_bundle(tmp_path / "bad.zip", workers=1)
    assert [d["code"] for d in report.discrepancies] == ["ballot_malformed"]
    assert "unit_code" in report.discrepancies[0]["message"]
