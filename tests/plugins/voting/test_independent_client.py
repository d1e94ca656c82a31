"""A client written only from docs/protocol.md: it reproduces the document's test vectors and casts a
real ballot. It deliberately imports nothing from wuye's signing or protocol code: canonical JSON is
done by hand (sorted keys, no whitespace: enough for these ASCII documents of strings and small
integers), Ed25519 straight from ``cryptography``."""

from __future__ import annotations

import hashlib
import json
import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.settings import PROJECT_ROOT

DOC = (PROJECT_ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")


def vector(label: str) -> str:
    match = re.search(rf"^{re.escape(label)}\s+(\S+)$", DOC, flags=re.MULTILINE)
    assert match, f"protocol.md has no vector {label!r}"
    return match.group(1)


def canonical(obj: object) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def message(domain: str, meeting: str, obj: object) -> bytes:
    return domain.encode() + b"\x00" + meeting.encode() + b"\x00" + canonical(obj)


def public_hex(seed: bytes) -> str:
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw().hex()


def test_the_documents_vectors_hold_for_an_independent_implementation():
    seed = bytes.fromhex(vector("seed (hex)"))
    ballot = json.loads(vector("ballot (canonical)"))
    assert canonical(ballot).decode() == vector("ballot (canonical)")
    assert ballot["voter_key"] == public_hex(seed)
    signed = message("wuye-ballot-v1", "MEETING", ballot)
    assert hashlib.sha256(signed).hexdigest() == vector("ballot hash")
    assert Ed25519PrivateKey.from_private_bytes(seed).sign(signed).hex() == vector("ballot signature")

    receipt = json.loads(vector("receipt (canonical)"))
    assert receipt["ballot_hash"] == vector("ballot hash")
    meeting_key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(vector("meeting key (hex)")))
    meeting_key.verify(
        bytes.fromhex(vector("receipt signature")), message("wuye-receipt-v1", "MEETING", receipt)
    )


async def test_an_independent_client_casts_a_ballot_and_checks_its_receipt(db, client, open_meeting):
    meeting = open_meeting["id"]
    seed = open_meeting["seeds"][3]
    info = (await client.get(f"/v/{meeting}/info")).json()
    choices = []
    for motion in info["motions"]:
        if motion["kind"] == "election":
            choices.append({"motion": motion["position"], "candidates": [motion["candidates"][1]["id"]]})
        else:
            choices.append({"motion": motion["position"], "choice": "abstain"})
    ballot = {
        "protocol": info["protocol"],
        "meeting": meeting,
        "register_digest": info["register_digest"],
        "voter_key": public_hex(seed),
        "choices": choices,
    }
    signed = message("wuye-ballot-v1", meeting, ballot)
    signature = Ed25519PrivateKey.from_private_bytes(seed).sign(signed).hex()
    response = await client.post(f"/v/{meeting}/ballots", json={"ballot": ballot, "signature": signature})
    assert response.status_code == 201, response.text
    body = response.json()
    receipt = body["receipt"]
    assert body["meeting_key"] == info["meeting_key"]
    assert receipt["ballot_hash"] == hashlib.sha256(signed).hexdigest()
    assert receipt["protocol"] == "wuye-receipt-v1" and receipt["voter_key"] == ballot["voter_key"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", receipt["received_at"])
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(info["meeting_key"])).verify(
        bytes.fromhex(body["signature"]), message("wuye-receipt-v1", meeting, receipt)
    )


async def test_the_cast_api_is_in_the_openapi_schema(db, client):
    schema = (await client.get("/schema/openapi.json")).json()
    operation = schema["paths"]["/v/{meeting}/ballots"]["post"]
    assert operation["operationId"] == "VotingCastBallot"
    assert "/v/{meeting}/info" in schema["paths"]
    assert "/d/{district}/voting/meetings/{meeting}/paper" in schema["paths"]
    assert "/d/{district}/voting/meetings/{meeting}/revocations" in schema["paths"]
