"""What the sealed record carries for an auditor beside the votes (#18 point 8, docs/protocol.md §9.1):
the time the vote opened (and an officer's reason to open it with sheets undelivered), the digest of the
jurisdiction profile as published, every revocation's reason and every delivery record (how, when, how
many witnesses; the names committed to in the public record and opened by the private one). The
verifier checks each, and a verify-diff refuses a later record that rewrites a revocation's reason."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta

from core.testing import office_today
from plugins.voting.protocol.record import section_digest
from plugins.voting.protocol.verifier import verify_bundle, verify_since
from plugins.voting.services.delivery import record_delivery
from plugins.voting.services.heads import sign_head, snapshot_bundle
from plugins.voting.services.keys import meeting_key
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.revocation import revoke_sheet
from plugins.voting.services.seal import export_bundle, seal_meeting
from tests.plugins.voting.conftest import choices, clock_at, make_ballot, post, signed
from tests.plugins.voting.test_seal import resealed, rewrite

TODAY = office_today()
NOW = timedelta(0)


async def _cast(client, m, index: int, change: dict) -> None:
    seed = m["seeds"][index]
    response = await post(client, m, signed(m, seed, make_ballot(m, seed, change)))
    assert response.status_code == 201, response.text


async def _vote(db, client, m, tmp_path):
    """A door delivery with two witnesses for sheet 2, sheet 4 revoked with a reason, two ballots, a
    head and its snapshot; a third ballot after it; then the seal. Returns the mid and final bundles."""
    await record_delivery(
        db,
        m["estate"],
        m["id"],
        "officer",
        serial=m["issued"][1].serial,
        method="door",
        delivered_on=TODAY - timedelta(days=1),
        witness_1="李见证",
        witness_2="王见证",
        correct=True,
    )
    await _cast(client, m, 0, choices("agree", "oppose", ["c1"]))
    await revoke_sheet(db, m["estate"], m["id"], "officer", serial=m["issued"][3].serial, reason="业主报失")
    await sign_head(db, m["estate"], m["id"], "officer", settle=NOW)
    mid = tmp_path / "mid.zip"
    mid.write_bytes(await snapshot_bundle(db, m["id"]))
    await _cast(client, m, 1, choices("oppose", "agree", ["c1", "c2"]))
    row = await get_meeting(m["id"])
    await clock_at(db, m["estate"], row["voting_closes"] + timedelta(minutes=1))  # past the close
    await seal_meeting(db, m["estate"], m["id"], "officer")
    return mid


async def test_the_record_carries_opening_profile_digest_revocation_reasons_and_deliveries(
    db, client, rehearsed_meeting, tmp_path
):
    m = rehearsed_meeting
    mid = await _vote(db, client, m, tmp_path)
    public = tmp_path / "public.zip"
    public.write_bytes(await export_bundle(db, m["id"]))
    full = tmp_path / "full.zip"
    full.write_bytes(await export_bundle(db, m["id"], full=True))
    for bundle in (public, full):
        report = verify_bundle(bundle, workers=1)
        assert report.ok, report.discrepancies
    assert verify_since(mid, public, workers=1).ok

    record = json.loads(zipfile.ZipFile(public).read("record.json"))
    meeting = record["meeting"]
    assert meeting["voting_opened"] < meeting["voting_closes"]
    assert "open_override" not in meeting  # every sheet was delivered
    assert meeting["rules_digest"] == section_digest(record["rules"])
    revoked = [c for c in record["credentials"] if c["revoked_at"]]
    assert [c["revocation"] for c in revoked] == [{"reason": "业主报失"}]
    deliveries = [d for c in record["credentials"] for d in c.get("deliveries", [])]
    assert sorted(d["method"] for d in deliveries) == ["door"] + ["in_person"] * 3
    door = next(d for d in deliveries if d["method"] == "door")
    assert door["witnesses"] == 2 and len(door["custody"]) == 64
    text = json.dumps(record, ensure_ascii=False)
    assert "李见证" not in text and "本人" not in text  # names only in the private record

    private = json.loads(zipfile.ZipFile(full).read("private.json"))
    opened = [d for d in private["deliveries"] if d["witnesses"]]
    assert [d["witnesses"] for d in opened] == [["李见证", "王见证"]]
    assert sum(d["received_by"] == "本人" for d in private["deliveries"]) == 3


async def test_the_verifier_names_a_record_re_signed_without_what_an_auditor_needs(
    db, client, rehearsed_meeting, tmp_path
):
    m = rehearsed_meeting
    await _vote(db, client, m, tmp_path)
    public = await export_bundle(db, m["id"])
    row = await get_meeting(m["id"])
    seed, _ = await meeting_key(db, row["id"])

    def found(mutate) -> set[str]:
        report = verify_bundle(_write(tmp_path, rewrite(public, resealed(m["id"], seed, mutate))), workers=1)
        codes = {d["code"] for d in report.discrepancies}
        assert "seal_signature_invalid" not in codes, codes
        return codes

    def no_reason(record):
        for c in record["credentials"]:
            c.pop("revocation", None)

    def one_witness(record):
        for c in record["credentials"]:
            for d in c.get("deliveries", []):
                if d["method"] == "door":
                    d["witnesses"] = 1

    def looser_rules(record):
        record["rules"]["thresholds"]["voting.participation"]["fraction"] = "1/2"

    def early_ballot(record):
        record["ballots"][0]["received_at"] = "2000-01-01T00:00:00.000000Z"

    assert "revocation_no_reason" in found(no_reason)
    assert "delivery_unwitnessed" in found(one_witness)
    assert "rules_digest_mismatch" in found(looser_rules)
    assert "ballot_before_open" in found(early_ballot)


async def test_the_private_record_opens_every_delivery_and_a_diff_keeps_revocation_reasons(
    db, client, rehearsed_meeting, tmp_path
):
    m = rehearsed_meeting
    mid = await _vote(db, client, m, tmp_path)
    full = await export_bundle(db, m["id"], full=True)

    def private_edit(bundle: bytes, change) -> bytes:
        import io

        source = zipfile.ZipFile(io.BytesIO(bundle))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in source.namelist():
                data = source.read(name)
                if name == "private.json":
                    private = json.loads(data)
                    change(private)
                    data = json.dumps(private, ensure_ascii=False).encode()
                target.writestr(name, data)
        return out.getvalue()

    def renamed(private):
        next(d for d in private["deliveries"] if d["witnesses"])["witnesses"][1] = "赵冒名"

    report = verify_bundle(_write(tmp_path, private_edit(full, renamed)), workers=1)
    assert "private_delivery_mismatch" in {d["code"] for d in report.discrepancies}

    # a final record whose delivery or revocation reason differs from what the snapshot showed
    row = await get_meeting(m["id"])
    seed, _ = await meeting_key(db, row["id"])
    public = await export_bundle(db, m["id"])

    def other_reason(record):
        for c in record["credentials"]:
            if c.get("revocation"):
                c["revocation"]["reason"] = "重新印制"

    forged = _write(tmp_path, rewrite(public, resealed(m["id"], seed, other_reason)))
    assert "since_revocation_changed" in {
        d["code"] for d in verify_since(mid, forged, workers=1).discrepancies
    }
    # the snapshot shows no deliveries (corrections are allowed until the seal): the sealed one does
    snapshot = json.loads(zipfile.ZipFile(mid).read("record.json"))
    assert not any("deliveries" in c for c in snapshot["credentials"])


def _write(tmp_path, content: bytes):
    path = tmp_path / f"b{len(list(tmp_path.iterdir()))}.zip"
    path.write_bytes(content)
    return path
