"""Casting signed online ballots: receipts, one ballot per voter, and every kind of bad input."""

from __future__ import annotations

import asyncio

import pytest

from core.signing import verify
from plugins.voting.protocol.ballot import receipt_message
from plugins.voting.protocol.credentials import public_key_hex
from plugins.voting.services.ballots import print_ballots
from plugins.voting.tables import VotingBallot, VotingMeeting
from tests.plugins.voting.conftest import TODAY, make_ballot, post, signed


async def test_a_cast_ballot_is_stored_and_the_receipt_verifies(db, client, open_meeting):
    seed = open_meeting["seeds"][0]
    ballot = make_ballot(open_meeting, seed)
    response = await post(client, open_meeting, signed(open_meeting, seed, ballot))
    assert response.status_code == 201, response.text
    body = response.json()
    receipt = body["receipt"]
    assert receipt["voter_key"] == public_key_hex(seed) and receipt["meeting"] == open_meeting["id"]
    info = (await client.get(f"/v/{open_meeting['id']}/info")).json()
    assert body["meeting_key"] == info["meeting_key"]
    assert verify(
        bytes.fromhex(info["meeting_key"]),
        bytes.fromhex(body["signature"]),
        receipt_message(open_meeting["id"], receipt),
    )
    stored = await VotingBallot.select().first()
    assert stored["ballot_hash"] == receipt["ballot_hash"] and stored["voter_no"] == 1


async def test_a_second_ballot_names_the_time_of_the_first(db, client, open_meeting):
    seed = open_meeting["seeds"][1]
    first = await post(client, open_meeting, signed(open_meeting, seed, make_ballot(open_meeting, seed)))
    assert first.status_code == 201
    other = make_ballot(
        open_meeting,
        seed,
        {
            "choices": [
                {"motion": 1, "choice": "oppose"},
                {"motion": 2, "choice": "abstain"},
                {"motion": 3, "candidates": []},
            ]
        },
    )
    second = await post(client, open_meeting, signed(open_meeting, seed, other))
    assert second.status_code == 409 and second.json()["code"] == "voting_cast_already"
    assert TODAY.isoformat() in second.json()["message"] or "投过票" in second.json()["message"]
    replay = await post(client, open_meeting, signed(open_meeting, seed, make_ballot(open_meeting, seed)))
    assert replay.status_code == 409
    assert await VotingBallot.count() == 1


async def test_fifty_concurrent_casts_with_one_credential_store_exactly_one(db, client, open_meeting):
    seed = open_meeting["seeds"][2]
    body = signed(open_meeting, seed, make_ballot(open_meeting, seed))
    responses = await asyncio.gather(*(post(client, open_meeting, body) for _ in range(50)))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1 and codes.count(409) == 49, codes
    assert await VotingBallot.count() == 1


def bad(*args, **changes):
    m, s = args
    return signed(m, s, make_ballot(m, s, changes))


@pytest.mark.parametrize(
    ("build", "status", "code"),
    [
        (lambda m, s: {"ballot": make_ballot(m, s)}, 422, "voting_cast_malformed"),
        (lambda m, s: bad(m, s, protocol="wuye-ballot-v0"), 422, "voting_cast_protocol"),
        (lambda m, s: bad(m, s, meeting="another"), 422, "voting_cast_wrong_meeting"),
        (lambda m, s: bad(m, s, register_digest="0" * 64), 422, "voting_cast_wrong_register"),
        (
            lambda m, s: bad(m, s, choices=[{"motion": 9, "choice": "agree"}]),
            422,
            "voting_cast_unknown_motion",
        ),
        (
            lambda m, s: bad(
                m,
                s,
                choices=[
                    {"motion": 1, "choice": "maybe"},
                    {"motion": 2, "choice": "agree"},
                    {"motion": 3, "candidates": []},
                ],
            ),
            422,
            "voting_cast_bad_option",
        ),
        (
            lambda m, s: bad(
                m,
                s,
                choices=[
                    {"motion": 1, "choice": "agree"},
                    {"motion": 2, "choice": "agree"},
                    {"motion": 3, "candidates": ["c1", "c2", "c3"]},
                ],
            ),
            422,
            "voting_cast_too_many",
        ),
        (
            lambda m, s: bad(
                m,
                s,
                choices=[
                    {"motion": 1, "choice": "agree"},
                    {"motion": 2, "choice": "agree"},
                    {"motion": 3, "candidates": ["c9"]},
                ],
            ),
            422,
            "voting_cast_bad_option",
        ),
        (
            lambda m, s: bad(m, s, choices=[{"motion": 1, "choice": "agree"}]),
            422,
            "voting_cast_missing_motion",
        ),
        (
            lambda m, s: bad(
                m, s, choices=[{"motion": 1, "choice": "agree"}, {"motion": 1, "choice": "agree"}]
            ),
            422,
            "voting_cast_duplicate_motion",
        ),
        (lambda m, s: {**bad(m, s), "signature": "00" * 64}, 403, "voting_cast_bad_signature"),
        (lambda m, s: {**bad(m, s), "signature": "not hex"}, 403, "voting_cast_bad_signature"),
        (lambda m, s: bad(m, bytes(32)), 403, "voting_cast_unknown_key"),
    ],
)
async def test_bad_ballots_get_a_4xx_and_nothing_is_stored(db, client, open_meeting, build, status, code):
    response = await post(client, open_meeting, build(open_meeting, open_meeting["seeds"][0]))
    assert response.status_code == status, response.text
    assert response.json()["code"] == code and response.json()["message"]
    assert await VotingBallot.count() == 0


async def test_malformed_json_oversized_body_and_unknown_meeting(db, client, open_meeting):
    broken = await client.post(
        f"/v/{open_meeting['id']}/ballots",
        content=b'{"ballot": ',
        headers={"content-type": "application/json"},
    )
    assert broken.status_code == 400 and broken.json()["code"] == "invalid_json"
    huge = await client.post(
        f"/v/{open_meeting['id']}/ballots",
        content=b"[" + b"1," * 40000 + b"1]",
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413
    unknown = await client.post("/v/nope/ballots", json={})
    assert unknown.status_code == 404 and unknown.json()["code"] == "voting_meeting_not_found"
    assert await VotingBallot.count() == 0


async def test_revoked_keys_closed_and_unopened_meetings(db, client, open_meeting):
    estate = open_meeting["estate"]
    old_seed = open_meeting["seeds"][3]
    await print_ballots(
        db, estate, open_meeting["id"], "officer", voter_nos=[4], workers=1
    )  # a reissued sheet
    revoked = await post(
        client, open_meeting, signed(open_meeting, old_seed, make_ballot(open_meeting, old_seed))
    )
    assert revoked.status_code == 403 and revoked.json()["code"] == "voting_cast_revoked"

    await VotingMeeting.update({VotingMeeting.status: "published"}).where(
        VotingMeeting.public_id == open_meeting["id"]
    )
    seed = open_meeting["seeds"][0]
    not_open = await post(client, open_meeting, signed(open_meeting, seed, make_ballot(open_meeting, seed)))
    assert not_open.status_code == 409 and not_open.json()["code"] == "voting_cast_not_open"
    await VotingMeeting.update({VotingMeeting.status: "closed"}).where(
        VotingMeeting.public_id == open_meeting["id"]
    )
    closed = await post(client, open_meeting, signed(open_meeting, seed, make_ballot(open_meeting, seed)))
    assert closed.status_code == 409 and closed.json()["code"] == "voting_cast_closed"
    assert await VotingBallot.count() == 0


async def test_voting_switched_off_in_the_district_hides_the_ballot_pages(db, client, open_meeting):
    from core.district_services import switch_plugin

    await switch_plugin(db, "test", open_meeting["estate"], "voting", False)
    assert (await client.get(f"/v/{open_meeting['id']}/info")).status_code == 404
    seed = open_meeting["seeds"][0]
    assert (
        await post(client, open_meeting, signed(open_meeting, seed, make_ballot(open_meeting, seed)))
    ).status_code == 404
