"""Revoking a voter's sheet without reprinting it (lost, stolen, disputed), audit-logged.

A revoked credential's online ballot and its paper sheet are refused. Reissuing a sheet
(``print_ballots`` with the voter's number) prints a new credential, version N+1, whose serial carries
``.N``; it revokes any credential still active.
"""

from __future__ import annotations

from typing import Any

from piccolo.engine.postgres import PostgresEngine

from core import (
    BadRequest,
    Conflict,
    DistrictInfo,
    NotFound,
    Runtime,
    district_now,
    people_time,
    record_audit,
    transaction,
)
from plugins.voting.messages import label
from plugins.voting.protocol.rules import parse_sheet_serial
from plugins.voting.services.meetings import get_meeting
from plugins.voting.tables import VotingBallot, VotingCredential, VotingMeeting, VotingVoter

MAX_REASON = 400


async def voter_by_serial(meeting_id: int, serial: str) -> dict[str, Any]:
    parsed = parse_sheet_serial(serial)
    voter = (
        await VotingVoter.select()
        .where((VotingVoter.meeting == meeting_id) & (VotingVoter.serial == parsed[0]))
        .first()
        if parsed
        else None
    )
    if voter is None:
        raise NotFound("voting_paper_bad_serial", serial=serial)
    return voter


async def revoke_sheet(
    runtime: Runtime, district: DistrictInfo, public_id: str, actor: str, *, serial: str, reason: str
) -> dict[str, Any]:
    """Revoke the active credential of the voter whose sheet bears ``serial``."""
    return (await revoke_sheets(runtime, district, public_id, actor, serials=[serial], reason=reason))[0]


async def revoke_sheets(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    actor: str,
    *,
    serials: list[str],
    reason: str,
) -> list[dict[str, Any]]:
    """Revoke the active credentials of the sheets bearing ``serials``, all in one transaction: a
    sheet that cannot be revoked (unknown, already voted, not active) revokes none. One audit entry
    per sheet."""
    reason = reason.strip()
    if not reason:
        raise BadRequest("voting_revoke_no_reason")
    meeting = await get_meeting(public_id, district)
    if meeting["status"] not in {"published", "open"}:
        raise Conflict("voting_revoke_status", status=label(f"status.{meeting['status']}"))
    voters = [await voter_by_serial(meeting["id"], serial) for serial in serials]
    engine = VotingCredential._meta.db
    results = []
    async with transaction(engine):
        # "has this voter voted?" is decided under a lock no cast can slip past: SQLite's transaction
        # holds the write lock from BEGIN; on PostgreSQL the meeting row FOR UPDATE waits for the cast
        # batches in flight (they hold it FOR SHARE) and holds back the next ones until this commits,
        # and those then read the revocation.
        if isinstance(engine, PostgresEngine):
            await VotingMeeting.raw("SELECT id FROM voting_meeting WHERE id = {} FOR UPDATE", meeting["id"])
        for serial, voter in zip(serials, voters, strict=True):
            results.append(await _revoke_one(runtime, district, meeting, actor, serial, voter, reason))
    return results


async def _revoke_one(
    runtime: Runtime,
    district: DistrictInfo,
    meeting: dict[str, Any],
    actor: str,
    serial: str,
    voter: dict[str, Any],
    reason: str,
) -> dict[str, Any]:
    public_id = meeting["public_id"]
    voted = (
        await VotingBallot.select(VotingBallot.received_at)
        .where((VotingBallot.meeting == meeting["id"]) & (VotingBallot.voter_no == voter["voter_no"]))
        .first()
    )
    if voted:
        profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
        raise Conflict("voting_revoke_voted", at=people_time(voted["received_at"], profile, seconds=True))
    active = await VotingCredential.select(VotingCredential.version).where(
        (VotingCredential.meeting == meeting["id"])
        & (VotingCredential.voter_no == voter["voter_no"])
        & VotingCredential.revoked_at.is_null()
    )
    if not active:
        raise Conflict("voting_revoke_not_active", serial=serial)
    now = await district_now(district)  # under the lock: after any ballot already received
    await VotingCredential.update(
        {
            VotingCredential.revoked_at: now,
            VotingCredential.revoked_reason: reason[:MAX_REASON],
            VotingCredential.revoked_by: actor,
        }
    ).where(
        (VotingCredential.meeting == meeting["id"])
        & (VotingCredential.voter_no == voter["voter_no"])
        & VotingCredential.revoked_at.is_null()
    )
    await record_audit(
        actor,
        "voting.ballot_revoke",
        district=district.slug,
        target=f"{public_id}:{voter['serial']}",
        details={
            "voter_no": voter["voter_no"],
            "versions": [r["version"] for r in active],
            "reason": reason,
        },
    )
    return {
        "meeting": public_id,
        "serial": voter["serial"],
        "voter_no": voter["voter_no"],
        "revoked_versions": [r["version"] for r in active],
        "reason": reason,
    }
