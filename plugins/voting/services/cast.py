"""Receiving an owner's signed online ballot and answering with a signed receipt.

The ballot is committed before anything is acknowledged; the database allows one ballot per voter
and meeting, so two concurrent casts with the same credential store exactly one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core import (
    Runtime,
    WuyeError,
    district_by_id,
    district_now,
    json_value,
    people_time,
    register_cache,
    sha256_hex,
    verify_signature,
)
from plugins.voting.protocol.ballot import (
    BallotError,
    MotionSpec,
    ballot_message,
    check_ballot,
    check_scope,
    receipt_message,
    receipt_object,
)
from plugins.voting.protocol.proxy import proxy_specs
from plugins.voting.protocol.scope import in_scope, scope_label
from plugins.voting.services.cast_batch import PendingBallot, batcher
from plugins.voting.services.keys import meeting_signer
from plugins.voting.services.meetings import get_meeting, motion_scope
from plugins.voting.tables import VotingBallot, VotingCredential, VotingMotion, VotingProxy, VotingVoter

STATUS = {
    "voting_cast_bad_signature": 403,
    "voting_cast_unknown_key": 403,
    "voting_cast_revoked": 403,
    "voting_cast_not_open": 409,
    "voting_cast_closed": 409,
    "voting_cast_already": 409,
    "voting_cast_proxy_motion": 403,
    "voting_cast_proxy_instructions": 403,
    "voting_sheet_malformed": 400,
    "voting_sheet_stale": 400,
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
            MotionSpec(
                row["position"],
                row["kind"],
                row["seats"],
                tuple(c["id"] for c in candidates),
                scoped=bool(motion_scope(row)),
            )
        )
    return specs


async def meeting_scopes(meeting_id: int) -> dict[int, list[str]]:
    """The meeting's motions of a part of the estate: position → unit-code prefixes."""
    rows = await VotingMotion.select(VotingMotion.position, VotingMotion.scope).where(
        VotingMotion.meeting == meeting_id
    )
    return {r["position"]: motion_scope(r) for r in rows if motion_scope(r)}


async def voter_scoped_motions(meeting_id: int, scoped: dict[int, list[str]], voter_no: int) -> set[int]:
    """The scoped motions a voter answers: those with a unit of theirs under the scope."""
    row = (
        await VotingVoter.select(VotingVoter.unit_codes)
        .where((VotingVoter.meeting == meeting_id) & (VotingVoter.voter_no == voter_no))
        .first()
    )
    codes = json_value(row["unit_codes"]) if row else []
    return {p for p, prefixes in scoped.items() if any(in_scope(c, prefixes) for c in codes)}


async def _check_ballot_scope(meeting: MeetingContext, ballot: dict[str, Any]) -> None:
    """A ballot of a meeting with scoped motions answers exactly the scoped motions its voter is in
    (an unknown key is left to the batch, which refuses it)."""
    if not meeting.scopes:
        return
    key = (
        await VotingCredential.select(VotingCredential.voter_no)
        .where(
            (VotingCredential.meeting == meeting.id) & (VotingCredential.public_key == ballot["voter_key"])
        )
        .first()
    )
    if key is None:
        return
    mine = await voter_scoped_motions(meeting.id, meeting.scopes, key["voter_no"])
    allowed = await _proxy_motions(meeting.id, ballot)  # a proxy answers only what it was given (§8.1)
    if allowed is not None:
        if any(c["motion"] not in allowed for c in ballot["choices"]):
            raise fail("voting_cast_proxy_motion")  # said as such, not as a building's motion
        mine &= set(allowed)
    labels = {p: scope_label(prefixes) for p, prefixes in meeting.scopes.items()}
    try:
        check_scope(ballot["choices"], labels, mine)
    except BallotError as exc:
        raise fail(exc.code, **exc.values) from None


@dataclass(frozen=True)
class MeetingContext:
    """What checking a ballot needs of a meeting. Everything here is fixed once the meeting is
    published, so open meetings are cached per process; the status is re-read by each batch."""

    id: int
    public_id: str
    district_id: int
    district_slug: str
    jurisdiction_code: str  #: the meeting's profile (its time zone words the times told to the owner)
    status: str
    register_digest: str
    voting_closes: datetime
    motions: tuple[MotionSpec, ...]
    scopes: dict[int, list[str]]  #: the motions of a part of the estate: position → prefixes


_contexts: dict[str, MeetingContext] = {}
register_cache(_contexts.clear)


def forget_context(public_id: str) -> None:
    """Drop a cached open meeting's context (its close moved: an extension)."""
    _contexts.pop(public_id, None)


async def meeting_context(public_id: str) -> MeetingContext:
    """The meeting's context (404 ``voting_meeting_not_found``); cached only while it is open."""
    found = _contexts.get(public_id)
    if found is not None:
        return found
    meeting = await get_meeting(public_id)
    context = MeetingContext(
        id=meeting["id"],
        public_id=public_id,
        district_id=meeting["district"],
        district_slug=(await district_by_id(meeting["district"])).slug,
        jurisdiction_code=meeting["jurisdiction_code"],
        status=meeting["status"],
        register_digest=meeting["register_digest"],
        voting_closes=meeting["voting_closes"],
        motions=tuple(await motion_specs(meeting["id"])),
        scopes=await meeting_scopes(meeting["id"]),
    )
    if context.status == "open":
        if len(_contexts) > 1000:
            _contexts.clear()
        _contexts[public_id] = context
    return context


async def cast(runtime: Runtime, public_id: str, body: Any) -> dict[str, Any]:
    """Verify one ballot, store it with the others arriving now — by the district's clock (a training
    district's may be set) — in a group commit, and answer with the signed receipt once committed."""
    meeting = await meeting_context(public_id)
    now = await district_now(meeting.district_id)
    if now >= meeting.voting_closes:  # past the cached close: read it again (an extension moves it)
        forget_context(public_id)
        meeting = await meeting_context(public_id)
    if meeting.status in {"closed", "sealed"} or now >= meeting.voting_closes:
        raise fail("voting_cast_closed")
    if meeting.status != "open":
        raise fail("voting_cast_not_open")
    if (
        not isinstance(body, dict)
        or set(body) != {"ballot", "signature"}
        or not isinstance(body["signature"], str)
    ):
        raise fail("voting_cast_malformed")
    try:
        try:
            ballot = check_ballot(
                body["ballot"],
                meeting=public_id,
                register_digest=meeting.register_digest,
                motions=list(meeting.motions),
            )
        except BallotError as exc:
            # a proxy's ballot leaves out the motions its authorisation does not name (§8.1)
            allowed = await _proxy_motions(meeting.id, body["ballot"]) if exc.code == MISSING else None
            if allowed is None:
                raise
            ballot = check_ballot(
                body["ballot"],
                meeting=public_id,
                register_digest=meeting.register_digest,
                motions=proxy_specs(list(meeting.motions), allowed),
            )
    except BallotError as exc:
        raise fail(exc.code, **exc.values) from None
    try:
        signature = bytes.fromhex(body["signature"])
    except ValueError:
        raise fail("voting_cast_bad_signature") from None
    message = ballot_message(public_id, ballot, checked=True)
    if not verify_signature(bytes.fromhex(ballot["voter_key"]), signature, message):
        raise fail("voting_cast_bad_signature")
    await _check_ballot_scope(meeting, ballot)
    digest = sha256_hex(message)
    outcome = await batcher().submit(
        PendingBallot(
            meeting_id=meeting.id,
            voter_key=ballot["voter_key"],
            ballot=message.split(b"\x00", 2)[2].decode(),
            signature=signature.hex(),
            ballot_hash=digest,
            received_at=now,
            choices=ballot["choices"],
        )
    )
    if outcome.code == "voting_cast_already":
        first = outcome.at or await _first_time(meeting.id, outcome.voter_no)
        profile = runtime.jurisdictions.get(meeting.jurisdiction_code)
        rule = profile.rules.get("voting", {}).get("revote")
        raise fail(
            "voting_cast_already",
            at=people_time(first, profile, seconds=True),
            source=rule.source.article if rule else "本地规则",
        )
    if outcome.code is not None:
        raise fail(outcome.code)
    return await signed_receipt(runtime, meeting.id, public_id, ballot["voter_key"], digest, now)


MISSING = "voting_cast_missing_motion"


async def _proxy_motions(meeting_id: int, ballot: Any) -> list[int] | None:
    """The motions authorised to the proxy whose key signed ``ballot``; None for any other key."""
    key = ballot.get("voter_key") if isinstance(ballot, dict) else None
    if not isinstance(key, str):
        return None
    row = (
        await VotingCredential.select(VotingCredential.voter_no, VotingCredential.version)
        .where(
            (VotingCredential.meeting == meeting_id)
            & (VotingCredential.public_key == key)
            & VotingCredential.proxy.is_not_null()
        )
        .first()
    )
    if row is None:
        return None
    found = (
        await VotingProxy.select(VotingProxy.motions)
        .where(
            (VotingProxy.meeting == meeting_id)
            & (VotingProxy.voter_no == row["voter_no"])
            & (VotingProxy.version == row["version"])
        )
        .first()
    )
    return list(json_value(found["motions"])) if found else None


async def _first_time(meeting_id: int, voter_no: int) -> datetime:
    first = (
        await VotingBallot.select(VotingBallot.received_at)
        .where((VotingBallot.meeting == meeting_id) & (VotingBallot.voter_no == voter_no))
        .first()
    )
    return first["received_at"] if first else datetime.now(UTC)


async def signed_receipt(
    runtime: Runtime, meeting_id: int, public_id: str, voter_key: str, digest: str, at: datetime
) -> dict[str, Any]:
    key, public = await meeting_signer(runtime, meeting_id)
    receipt = receipt_object(
        public_id, voter_key, digest, at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    )
    return {
        "receipt": receipt,
        "signature": key.sign(receipt_message(public_id, receipt, checked=True)).hex(),
        "meeting_key": public,
    }
