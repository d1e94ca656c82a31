"""Receiving an owner's signed online ballot and answering with a signed receipt.

The ballot is committed before anything is acknowledged; the database allows one ballot per voter
and meeting, so two concurrent casts with the same credential store exactly one.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import rfc8785

from core.db import transaction
from core.errors import WuyeError
from core.signing import sign, verify
from plugins.voting import messages  # noqa: F401
from plugins.voting.keys import meeting_key
from plugins.voting.meetings import get_meeting
from plugins.voting.protocol import (
    BallotError,
    MotionSpec,
    ballot_hash,
    ballot_message,
    check_ballot,
    receipt_message,
    receipt_object,
)
from plugins.voting.tables import VotingBallot, VotingCredential, VotingMotion

STATUS = {
    "voting_cast_bad_signature": 403,
    "voting_cast_unknown_key": 403,
    "voting_cast_revoked": 403,
    "voting_cast_not_open": 409,
    "voting_cast_closed": 409,
    "voting_cast_already": 409,
}


def fail(code: str, **values: Any) -> WuyeError:
    return WuyeError(code, status_code=STATUS.get(code, 422), **values)


async def motion_specs(meeting_id: int) -> list[MotionSpec]:
    rows = (
        await VotingMotion.select().where(VotingMotion.meeting == meeting_id).order_by(VotingMotion.position)
    )
    specs = []
    for row in rows:
        candidates = row["candidates"]
        candidates = json.loads(candidates) if isinstance(candidates, str) else candidates
        specs.append(
            MotionSpec(row["position"], row["kind"], row["seats"], tuple(c["id"] for c in candidates))
        )
    return specs


async def cast(public_id: str, body: Any, *, now: datetime | None = None) -> dict[str, Any]:
    """Verify and store one ballot; the signed receipt."""
    now = now or datetime.now(UTC)
    meeting = await get_meeting(public_id)
    if meeting["status"] in {"closed", "sealed"} or now >= meeting["voting_closes"]:
        raise fail("voting_cast_closed")
    if meeting["status"] != "open":
        raise fail("voting_cast_not_open")
    if (
        not isinstance(body, dict)
        or set(body) != {"ballot", "signature"}
        or not isinstance(body["signature"], str)
    ):
        raise fail("voting_cast_malformed")
    try:
        ballot = check_ballot(
            body["ballot"],
            meeting=public_id,
            register_digest=meeting["register_digest"],
            motions=await motion_specs(meeting["id"]),
        )
    except BallotError as exc:
        raise fail(exc.code, **exc.values) from None
    try:
        signature = bytes.fromhex(body["signature"])
    except ValueError:
        raise fail("voting_cast_bad_signature") from None
    message = ballot_message(public_id, ballot)
    if not verify(bytes.fromhex(ballot["voter_key"]), signature, message):
        raise fail("voting_cast_bad_signature")
    credential = (
        await VotingCredential.select()
        .where(
            (VotingCredential.meeting == meeting["id"]) & (VotingCredential.public_key == ballot["voter_key"])
        )
        .first()
    )
    if credential is None:
        raise fail("voting_cast_unknown_key")
    if credential["revoked_at"] is not None:
        raise fail("voting_cast_revoked")
    digest = ballot_hash(public_id, ballot)
    try:
        async with transaction(VotingBallot._meta.db):
            await VotingBallot.insert(
                VotingBallot(
                    meeting=meeting["id"],
                    voter_no=credential["voter_no"],
                    public_key=ballot["voter_key"],
                    ballot=rfc8785.dumps(ballot).decode(),
                    signature=signature.hex(),
                    ballot_hash=digest,
                    received_at=now,
                )
            )
    except Exception as exc:
        first = (
            await VotingBallot.select(VotingBallot.received_at)
            .where(
                (VotingBallot.meeting == meeting["id"]) & (VotingBallot.voter_no == credential["voter_no"])
            )
            .first()
        )
        if first is None:
            raise
        raise fail("voting_cast_already", at=_local(first["received_at"])) from exc
    return await signed_receipt(meeting["id"], public_id, ballot["voter_key"], digest, now)


def _local(at: datetime) -> str:
    from zoneinfo import ZoneInfo

    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")


async def signed_receipt(
    meeting_id: int, public_id: str, voter_key: str, digest: str, at: datetime
) -> dict[str, Any]:
    seed, public = await meeting_key(meeting_id)
    receipt = receipt_object(
        public_id, voter_key, digest, at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    )
    return {
        "receipt": receipt,
        "signature": sign(seed, receipt_message(public_id, receipt)).hex(),
        "meeting_key": public,
    }
