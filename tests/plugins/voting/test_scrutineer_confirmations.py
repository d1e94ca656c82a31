"""Scrutineers confirm paper entries with keys of their own (#18 point 7, docs/protocol.md §8.2): the key
is made at a scrutineer's first sign-in to the count and kept only under their passphrase; every entry
carries their signature over a confirmation statement; the sealed record lists the keys and the
signatures, and ``wuye verify`` refuses a sheet an operator added (or changed) and re-sealed with the
meeting key, because no scrutineer signed it."""

from __future__ import annotations

import copy
import json
import zipfile

import pytest

from core import WuyeError
from core.data.tables import AuditEntry
from core.testing import login
from plugins.voting.protocol.confirmation import (
    confirmation_message,
    confirmation_problem,
    entry_statement,
    sheet_commitment,
)
from plugins.voting.protocol.verifier import verify_bundle
from plugins.voting.services.keys import meeting_key
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.paper import PaperEntry, enter_paper_ballots
from plugins.voting.services.scrutineers import register_scrutineer_key
from plugins.voting.services.seal import export_bundle, seal_meeting
from plugins.voting.tables import VotingOfficial, VotingPaperBallot, VotingScrutineerKey
from tests.plugins.voting.conftest import PASSPHRASE, SCRUTINEER, close_voting
from tests.plugins.voting.test_seal import resealed, rewrite


def url(meeting: dict, tail: str) -> str:
    return f"/d/alpha/voting/meetings/{meeting['id']}/{tail}"


@pytest.fixture
async def counter(client, staff_factory):
    await staff_factory("counter_a", "district_officer", "alpha")
    return await login(client, "counter_a")


async def test_a_scrutineer_signs_in_once_and_only_their_passphrase_confirms(
    db, client, open_meeting, counter
):
    m = open_meeting
    headers = {"X-CSRF-Token": counter}
    sheet = m["issued"][3].serial
    body = {"serial": sheet, "scrutineer": SCRUTINEER, "choices": {"1": "同意", "2": "反对", "3": "赵一"}}
    await close_voting(m)

    # no key yet: the entry is refused, in Chinese, and nothing is stored
    missing = await client.post(url(m, "paper"), json={**body, "passphrase": PASSPHRASE}, headers=headers)
    assert missing.status_code == 409, missing.text
    assert (
        missing.json()["code"] == "voting_scrutineer_key_missing" and "尚未登记" in missing.json()["message"]
    )

    # the first sign-in: not for a counter, not with a short passphrase; once only
    not_one = await client.post(
        url(m, "scrutineer-keys"), json={"scrutineer": "吴计票", "passphrase": PASSPHRASE}, headers=headers
    )
    assert not_one.status_code == 400 and not_one.json()["code"] == "voting_paper_not_scrutineer"
    short = await client.post(
        url(m, "scrutineer-keys"), json={"scrutineer": SCRUTINEER, "passphrase": "123"}, headers=headers
    )
    assert short.status_code == 400 and short.json()["code"] == "voting_scrutineer_passphrase_short"
    made = await client.post(
        url(m, "scrutineer-keys"), json={"scrutineer": SCRUTINEER, "passphrase": PASSPHRASE}, headers=headers
    )
    assert made.status_code == 201, made.text
    public_key = made.json()["public_key"]
    again = await client.post(
        url(m, "scrutineer-keys"), json={"scrutineer": SCRUTINEER, "passphrase": PASSPHRASE}, headers=headers
    )
    assert again.status_code == 409 and again.json()["code"] == "voting_scrutineer_key_exists"
    audit = await AuditEntry.select().where(AuditEntry.action == "voting.scrutineer_key")
    assert len(audit) == 1
    details = (
        audit[0]["details"] if isinstance(audit[0]["details"], dict) else json.loads(audit[0]["details"])
    )
    assert details == {"name": SCRUTINEER, "role": "scrutineer", "public_key": public_key}
    listed = await client.get(url(m, "scrutineer-keys"))
    assert [k["public_key"] for k in listed.json()["keys"]] == [public_key]

    # the key is stored only encrypted: neither the seed nor the passphrase is in the row
    row = await VotingScrutineerKey.select().first()
    assert PASSPHRASE.encode().hex() not in row["wrapped_secret"] and len(row["wrapped_secret"]) == 120

    wrong = await client.post(url(m, "paper"), json={**body, "passphrase": "not-the-one"}, headers=headers)
    assert wrong.status_code == 403 and wrong.json()["code"] == "voting_scrutineer_passphrase_wrong"
    assert await VotingPaperBallot.count() == 0
    entered = await client.post(url(m, "paper"), json={**body, "passphrase": PASSPHRASE}, headers=headers)
    assert entered.status_code == 201, entered.text

    stored = await VotingPaperBallot.select().first()
    assert stored["confirmation_key"] == public_key and len(stored["confirmation_signature"]) == 128
    entry = {
        "version": stored["version"],
        "choices": json.loads(stored["choices"]),
        "confirmed_by": SCRUTINEER,
        "entered_at": stored["entered_at"].isoformat().replace("+00:00", "Z"),
        "confirmation": {
            "key": public_key,
            "sheet": sheet_commitment(m["id"], sheet, stored["confirmation_salt"]),
            "signature": stored["confirmation_signature"],
        },
    }
    keys = {public_key: {"name": SCRUTINEER, "registered_at": row["registered_at"].isoformat()}}
    assert confirmation_problem(m["id"], entry, keys, sheet, stored["confirmation_salt"]) is None
    assert confirmation_problem(m["id"], entry, keys, m["issued"][2].serial, stored["confirmation_salt"]) == (
        "paper_confirmation_invalid"
    )
    assert b"wuye-paper-confirmation-v1\x00" + m["id"].encode() in confirmation_message(
        entry_statement(m["id"], entry)
    )


async def test_a_scrutineer_cannot_confirm_what_they_entered(db, open_meeting, staff_factory):
    m = open_meeting
    await close_voting(m)
    staff_id = await staff_factory("zhou", "district_officer", "alpha")
    await VotingOfficial.update({VotingOfficial.staff: staff_id}).where(VotingOfficial.name == SCRUTINEER)
    await register_scrutineer_key(m["estate"], m["id"], "test", SCRUTINEER, PASSPHRASE)
    with pytest.raises(WuyeError) as refused:
        await enter_paper_ballots(
            db,
            m["estate"],
            m["id"],
            f"staff:{staff_id}:zhou",
            [PaperEntry(m["issued"][3].serial, {1: "同意", 2: "同意", 3: ""})],
            scrutineer=SCRUTINEER,
            passphrase=PASSPHRASE,
        )
    assert refused.value.code == "voting_paper_self_confirm" and refused.value.status_code == 403


async def _sealed(db, m) -> tuple[bytes, bytes, bytes]:
    row = await get_meeting(m["id"])
    await seal_meeting(db, m["estate"], m["id"], "officer")
    seed, _ = await meeting_key(db, row["id"])
    return await export_bundle(db, m["id"]), await export_bundle(db, m["id"], full=True), seed


def _write(tmp_path, data: bytes, name: str = "forged.zip"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


async def test_the_record_carries_keys_and_confirmations_and_verifies(db, voted, tmp_path):
    public, full, _ = await _sealed(db, voted)
    for name, bundle in (("public.zip", public), ("full.zip", full)):
        report = verify_bundle(_write(tmp_path, bundle, name), workers=1)
        assert report.ok, report.discrepancies
        assert report.checked["confirmations"] == report.checked["paper"] == 2
    record = json.loads(zipfile.ZipFile(_write(tmp_path, public, "p.zip")).read("record.json"))
    (key,) = record["meeting"]["scrutineer_keys"]
    assert key["name"] == SCRUTINEER and key["role"] == "scrutineer" and key["registered_at"].endswith("Z")
    for entry in record["paper"]:
        assert set(entry["confirmation"]) == {"key", "sheet", "signature"}  # the salt is private
        assert entry["confirmation"]["key"] == key["public_key"]
    private = json.loads(zipfile.ZipFile(_write(tmp_path, full, "f.zip")).read("private.json"))
    assert all(len(o["sheet_salt"]) == 32 for o in private["paper"])


def _free_voter(record) -> int:
    """A record number with neither an online ballot nor a paper entry."""
    used = {b["voter_no"] for b in record["ballots"]} | {p["voter_no"] for p in record["paper"]}
    return next(c["voter_no"] for c in record["credentials"] if c["voter_no"] not in used)


def _added_sheet(record):
    """The operator adds a sheet nobody confirmed."""
    extra = copy.deepcopy(record["paper"][0])
    extra.update(voter_no=_free_voter(record), status="counted")
    extra.pop("confirmation")
    record["paper"].append(extra)


def _copied_confirmation(record):
    """… or one carrying a copy of another sheet's confirmation (whose statement still verifies)."""
    extra = copy.deepcopy(record["paper"][0])
    extra.update(voter_no=_free_voter(record), status="counted")
    record["paper"].append(extra)


def _changed_choice(record):
    entry = next(p for p in record["paper"] if p["status"] == "counted")
    choice = entry["choices"][0]
    choice["choice"] = "oppose" if choice["choice"] == "agree" else "agree"


def _own_signature(record):
    entry = record["paper"][0]
    entry["confirmation"]["signature"] = "00" * 64


def _stripped_keys(record):
    del record["meeting"]["scrutineer_keys"]
    for entry in record["paper"]:
        entry.pop("confirmation", None)


def _hand_in_time_added(record):
    """A hand-in time is part of what the scrutineer signed: one added afterwards breaks it."""
    entry = record["paper"][0]
    entry["handed_in_at"] = entry["entered_at"]


def _backdated_key(record):
    record["meeting"]["scrutineer_keys"][0]["registered_at"] = "2999-01-01T00:00:00.000000Z"


FORGERIES = {
    "added_sheet": (_added_sheet, "paper_unconfirmed"),
    "copied_confirmation": (_copied_confirmation, "paper_confirmation_reused"),
    "changed_choice": (_changed_choice, "paper_confirmation_invalid"),
    "bad_signature": (_own_signature, "paper_confirmation_invalid"),
    "stripped_keys": (_stripped_keys, "paper_unconfirmed"),
    "hand_in_time_added": (_hand_in_time_added, "paper_confirmation_invalid"),
    "key_after_entries": (_backdated_key, "paper_confirmed_before_key"),
}


async def test_a_sheet_no_scrutineer_signed_is_refused_even_re_sealed(db, voted, tmp_path):
    public, _, seed = await _sealed(db, voted)
    for name, (mutate, code) in FORGERIES.items():
        forged = _write(tmp_path, rewrite(public, resealed(voted["id"], seed, mutate)), f"{name}.zip")
        report = verify_bundle(forged, workers=1)
        codes = {d["code"] for d in report.discrepancies}
        assert "seal_signature_invalid" not in codes, (name, codes)
        assert code in codes, (name, codes)
        assert all(d["message"] for d in report.discrepancies)


async def test_with_the_private_record_a_confirmation_belongs_to_its_sheet(db, voted, tmp_path):
    _, full, _ = await _sealed(db, voted)
    source = zipfile.ZipFile(_write(tmp_path, full, "full.zip"))
    private = json.loads(source.read("private.json"))
    private["paper"][0]["sheet_salt"] = "00" * 16
    out = tmp_path / "salted.zip"
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "private.json":
                data = json.dumps(private, ensure_ascii=False).encode()
            target.writestr(name, data)
    codes = {d["code"] for d in verify_bundle(out, workers=1).discrepancies}
    assert "paper_confirmation_invalid" in codes, codes


async def test_a_scrutineer_signs_in_and_confirms_a_count_sheet_on_the_cli(db, open_meeting, tmp_path):
    from core.testing import wuye_command, wuye_env

    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))
    m = open_meeting
    await close_voting(m)
    sign_in = ["voting", "paper", "sign-in", "-m", m["id"], "--scrutineer", SCRUTINEER]
    made = wuye_command(*sign_in, "--passphrase", PASSPHRASE, "--json", env=env)
    fingerprint = json.loads(made.stdout)["fingerprint"]
    assert len(fingerprint) == 19
    again = wuye_command(*sign_in, "--passphrase", PASSPHRASE, env=env, check=False)
    assert again.returncode == 2 and "已登记签名密钥" in again.stderr
    sheet = tmp_path / "count.csv"
    sheet.write_text(f"serial,1,2,3\n{m['issued'][3].serial},同意,弃权,赵一\n", encoding="utf-8")
    imported = ["voting", "paper", "import", "-m", m["id"], "--scrutineer", SCRUTINEER, str(sheet)]
    wrong = wuye_command(*imported, env={**env, "WUYE_SCRUTINEER_PASSPHRASE": "wrong-one"}, check=False)
    assert wrong.returncode == 2 and "口令不正确" in wrong.stderr
    wuye_command(*imported, env={**env, "WUYE_SCRUTINEER_PASSPHRASE": PASSPHRASE})
    stored = await VotingPaperBallot.select().first()
    assert stored["source"] == "count_sheet" and stored["confirmation_key"].startswith(
        fingerprint.replace(" ", "")
    )


async def test_the_fingerprints_in_the_count_minutes_pin_the_scrutineer_keys(db, voted, tmp_path):
    """A key an operator registers under a scrutineer's name (and re-seals) verifies in itself; the
    fingerprints the scrutineers wrote into the signed minutes catch it (``--scrutineer-key``)."""
    from core.signing import public_key_of
    from core.testing import wuye_command, wuye_env
    from plugins.voting.protocol.verifier import Pins

    public, _, seed = await _sealed(db, voted)
    genuine = (await VotingScrutineerKey.select().first())["public_key"]
    offline = wuye_env("sqlite:////nonexistent/x.db", [])
    path = _write(tmp_path, public, "public.zip")
    pinned = ["--scrutineer-key", " ".join(genuine[i : i + 4] for i in range(0, 16, 4))]
    assert wuye_command("verify", str(path), *pinned, env=offline).returncode == 0

    operator = bytes(range(32))
    operator_key = public_key_of(operator).hex()

    def own_key(record):  # the operator's key in the scrutineer's name, every entry signed anew with it
        record["meeting"]["scrutineer_keys"][0]["public_key"] = operator_key
        from core.signing import sign
        from plugins.voting.protocol.confirmation import confirmation_message, entry_statement

        for entry in record["paper"]:
            entry["confirmation"]["key"] = operator_key
            statement = entry_statement(voted["id"], entry)
            entry["confirmation"]["signature"] = sign(operator, confirmation_message(statement)).hex()

    forged = _write(tmp_path, rewrite(public, resealed(voted["id"], seed, own_key)))
    assert verify_bundle(forged, workers=1).ok  # in itself, it holds
    report = verify_bundle(forged, workers=1, pins=Pins(scrutineer_keys=(genuine[:16],)))
    codes = [d["code"] for d in report.discrepancies]
    assert codes == ["pinned_scrutineer_key_unknown", "pinned_scrutineer_key_missing"], codes
    refused = wuye_command("verify", str(forged), *pinned, env=offline, check=False)
    assert refused.returncode == 1 and "不在计票记录所载的密钥指纹之中" in refused.stdout


async def test_a_key_registered_while_voting_is_open_is_on_later_heads_only(
    db, client, rehearsed_meeting, tmp_path
):
    """Board heads cover the meeting section, so the scrutineer keys registered by then (§12): a head
    signed before a registration is checked without the key, one signed after with it."""
    from datetime import timedelta

    from plugins.voting.services.heads import sign_head, snapshot_bundle
    from tests.plugins.voting.conftest import choices, clock_at, enter_confirmed, make_ballot, post, signed

    m = rehearsed_meeting  # a training district: the count happens on its clock, after the close
    seed = m["seeds"][0]
    response = await post(
        client, m, signed(m, seed, make_ballot(m, seed, choices("agree", "oppose", ["c1"])))
    )
    assert response.status_code == 201, response.text
    await sign_head(db, m["estate"], m["id"], "officer", settle=timedelta(0))
    before = _write(tmp_path, await snapshot_bundle(db, m["id"]), "before.zip")
    await register_scrutineer_key(m["estate"], m["id"], "test", SCRUTINEER, PASSPHRASE)
    await sign_head(db, m["estate"], m["id"], "officer", settle=timedelta(0))
    after = _write(tmp_path, await snapshot_bundle(db, m["id"]), "after.zip")
    assert "scrutineer_keys" not in json.loads(zipfile.ZipFile(before).read("record.json"))["meeting"]
    assert len(json.loads(zipfile.ZipFile(after).read("record.json"))["meeting"]["scrutineer_keys"]) == 1
    # the count after the close as scheduled (moving the close would change the meeting section)
    closes = (await get_meeting(m["id"]))["voting_closes"]
    sheet = [PaperEntry(m["issued"][3].serial, {1: "同意"})]
    await clock_at(db, m["estate"], closes + timedelta(minutes=1))
    await enter_confirmed(db, m["estate"], m["id"], "counter", sheet)
    await seal_meeting(db, m["estate"], m["id"], "officer")
    bundle = _write(tmp_path, await export_bundle(db, m["id"]), "sealed.zip")
    report = verify_bundle(bundle, workers=1)
    assert report.ok, report.discrepancies
    from plugins.voting.protocol.verifier import verify_since

    for snapshot in (before, after):
        assert verify_since(snapshot, bundle, workers=1).ok
