"""An owner proving a sheet's key learns its state: units, revoked or reissued, and the ballot it cast
with the receipt again; a public key alone, a stale or forged proof learn nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.signing import sign
from plugins.voting.protocol.ballot import sheet_message
from plugins.voting.protocol.credentials import public_key_hex
from tests.plugins.voting.conftest import make_ballot, post, signed


def proof(meeting: str, seed: bytes, at: datetime | None = None) -> dict:
    stamp = (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    key = public_key_hex(seed)
    return {"voter_key": key, "at": stamp, "signature": sign(seed, sheet_message(meeting, key, stamp)).hex()}


async def ask(client, meeting: str, body: dict):
    return await client.post(f"/v/{meeting}/sheet", json=body)


async def test_an_unused_sheet_shows_its_units_and_nothing_cast(db, client, open_meeting):
    meeting, seed = open_meeting["id"], open_meeting["seeds"][0]
    answer = await ask(client, meeting, proof(meeting, seed))
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["units"] == ["1-101", "1-102"] and found["area_centi"] == 17000
    assert found["revoked"] is False and found["reissued"] is False
    assert found["online"] is None and found["paper"] is None


async def test_a_used_sheet_gives_back_the_same_receipt_and_its_choices(db, client, open_meeting):
    meeting, seed = open_meeting["id"], open_meeting["seeds"][1]
    ballot = make_ballot(open_meeting, seed)
    cast = await post(client, open_meeting, signed(open_meeting, seed, ballot))
    assert cast.status_code == 201
    found = (await ask(client, meeting, proof(meeting, seed))).json()
    online = found["online"]
    assert online["this_sheet"] is True
    assert online["receipt"] == cast.json()  # byte for byte: Ed25519 is deterministic
    assert online["choices"] == ballot["choices"]
    assert "年" in online["received_at_local"] and online["received_at"].endswith("+00:00")


async def test_proofs_that_fail_learn_nothing(db, client, open_meeting):
    meeting, seed = open_meeting["id"], open_meeting["seeds"][0]
    good = proof(meeting, seed)
    stale = proof(meeting, seed, datetime.now(UTC) - timedelta(minutes=11))
    forged = {**good, "signature": sign(open_meeting["seeds"][2], b"x").hex()}
    stranger = proof(meeting, bytes(32))
    for body, status, code in (
        (stale, 400, "voting_sheet_stale"),
        (forged, 403, "voting_cast_bad_signature"),
        (stranger, 403, "voting_cast_unknown_key"),
        ({**good, "at": "yesterday"}, 400, "voting_sheet_malformed"),
    ):
        answer = await ask(client, meeting, body)
        assert answer.status_code == status, (code, answer.text)
        assert answer.json()["code"] == code
        assert "units" not in answer.text
    for bad in ({"voter_key": good["voter_key"]}, [], {**good, "extra": 1}):
        answer = await ask(client, meeting, bad)
        assert 400 <= answer.status_code < 500
    # the old lookup by public key alone is gone
    assert (await client.get(f"/v/{meeting}/voters/{good['voter_key']}")).status_code in {404, 405}
