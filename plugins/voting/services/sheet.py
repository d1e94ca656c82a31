"""What the holder of a printed sheet may learn about it: which units it votes for, whether it still
counts, and — if it was used — when, what was chosen and the receipt again.

The holder proves the sheet's key by signing a fresh request (docs/protocol.md §5.1); a public key
alone tells nobody anything (the public record names voters by key).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from core import Runtime, district_now, json_value, people_time, verify_signature
from plugins.voting.protocol.ballot import BallotError, sheet_message, sheet_request
from plugins.voting.protocol.scope import applicable_motions
from plugins.voting.services.cast import fail, meeting_scopes, motion_specs, signed_receipt
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.seal import own_entry
from plugins.voting.tables import (
    VotingBallot,
    VotingCredential,
    VotingPaperBallot,
    VotingProxy,
    VotingVoter,
)

#: How far the phone's clock may be from the server's.
FRESH = timedelta(minutes=10)


def _parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def sheet_status(runtime: Runtime, public_id: str, body: Any) -> dict[str, Any]:
    """The state of the sheet whose key signed ``body`` (4xx with a code when the proof fails). The
    proof is dated by the district's clock, which the ballot page hands the phone (``now``)."""
    try:
        request = sheet_request(body)
    except BallotError as exc:
        raise fail(exc.code) from None
    meeting = await get_meeting(public_id)
    if abs(await district_now(meeting["district"]) - _parse_utc(request["at"])) > FRESH:
        raise fail("voting_sheet_stale")
    key = request["voter_key"]
    credential = (
        await VotingCredential.select()
        .where((VotingCredential.meeting == meeting["id"]) & (VotingCredential.public_key == key))
        .first()
    )
    if credential is None:
        raise fail("voting_cast_unknown_key")
    proof = sheet_message(public_id, key, request["at"])
    if not verify_signature(bytes.fromhex(key), bytes.fromhex(request["signature"]), proof):
        raise fail("voting_cast_bad_signature")
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    voter_no = credential["voter_no"]
    voter = (
        await VotingVoter.select()
        .where((VotingVoter.meeting == meeting["id"]) & (VotingVoter.voter_no == voter_no))
        .first()
    )
    assert voter is not None  # a credential is printed for a voter of the meeting
    newer = await VotingCredential.exists().where(
        (VotingCredential.meeting == meeting["id"])
        & (VotingCredential.voter_no == voter_no)
        & (VotingCredential.version > credential["version"])
    )
    current = credential["revoked_at"] is None and not newer
    units = json_value(voter["unit_codes"])
    scoped = await meeting_scopes(meeting["id"])
    positions = [m.position for m in await motion_specs(meeting["id"])]
    motions = applicable_motions(positions, scoped, units)
    proxy = await _proxy(meeting["id"], credential) if credential["proxy"] is not None else None
    return {
        "serial": voter["serial"],
        "units": units,
        # the motions this voter answers: all of the estate's, and those of a part they own a unit in
        # (a proxy's sheet: only those of them the authorisation names, §8.1)
        "motions": [p for p in motions if p in proxy["motions"]] if proxy else motions,
        "proxy": proxy,
        "area_centi": voter["area_centi"],
        "revoked": credential["revoked_at"] is not None,
        "reissued": newer,
        "online": await _online(runtime, meeting, voter_no, key, profile),
        "paper": await _paper(meeting["id"], voter_no, profile),
        # after the seal, the owner's own entry of the private record (§10): only for the sheet in force
        "record": await own_entry(runtime, meeting, voter_no) if current else None,
    }


async def _proxy(meeting_id: int, credential: dict[str, Any]) -> dict[str, Any] | None:
    """A proxy's sheet: who holds it, the motions authorised and the owner's instructions (the ballot
    page shows them, and locks what the authorisation decides)."""
    row = (
        await VotingProxy.select(VotingProxy.proxy_name, VotingProxy.motions, VotingProxy.instructions)
        .where(
            (VotingProxy.meeting == meeting_id)
            & (VotingProxy.voter_no == credential["voter_no"])
            & (VotingProxy.version == credential["version"])
        )
        .first()
    )
    if row is None:
        return None
    return {
        "proxy_name": row["proxy_name"],
        "motions": list(json_value(row["motions"])),
        "instructions": json_value(row["instructions"]) if row["instructions"] else [],
    }


async def _online(
    runtime: Runtime, meeting: dict[str, Any], voter_no: int, key: str, profile: Any
) -> dict[str, Any] | None:
    """The voter's online ballot, if any: with its choices and receipt when this sheet cast it."""
    ballot = (
        await VotingBallot.select()
        .where((VotingBallot.meeting == meeting["id"]) & (VotingBallot.voter_no == voter_no))
        .first()
    )
    if ballot is None:
        return None
    found: dict[str, Any] = {
        "received_at": ballot["received_at"].astimezone(UTC).isoformat(),
        "received_at_local": people_time(ballot["received_at"], profile, seconds=True),
        "this_sheet": ballot["public_key"] == key,
    }
    if found["this_sheet"]:
        # the receipt again: the same bytes as first sent (Ed25519 is deterministic)
        found["choices"] = json_value(ballot["ballot"])["choices"]
        found["receipt"] = await signed_receipt(
            runtime, meeting["id"], meeting["public_id"], key, ballot["ballot_hash"], ballot["received_at"]
        )
    return found


async def _paper(meeting_id: int, voter_no: int, profile: Any) -> dict[str, Any] | None:
    paper = (
        await VotingPaperBallot.select(VotingPaperBallot.sheet_serial, VotingPaperBallot.entered_at)
        .where(
            (VotingPaperBallot.meeting == meeting_id)
            & (VotingPaperBallot.voter_no == voter_no)
            & (VotingPaperBallot.status != "revoked")
        )
        .first()
    )
    if paper is None:
        return None
    return {"serial": paper["sheet_serial"], "entered_at_local": people_time(paper["entered_at"], profile)}
