"""Ownership transfers during a vote (表决期间房屋产权转移).

A flat sold between the notice and the close: who votes for it? The profile's
``voting.ownership_transfer`` rule answers; the one value the platform implements, ``ballot_stands``
(Beijing's practice and the common one), says: a ballot the old owner already cast stands — online, or
a paper sheet the old owner has handed in — and nothing is reissued; otherwise the old owner's sheet
is revoked and a sheet is printed for the new owner, in one transaction, under the same lock as a
revocation (no cast slips between "has the old owner voted?" and the revocation). The frozen register
is not changed: the flat's area and headcount are the same, only who holds the sheet. Audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from core import (
    BadRequest,
    Conflict,
    DistrictInfo,
    Runtime,
    district_now,
    district_today,
    people_date,
    people_time,
    record_audit,
    transaction,
)
from plugins.voting.messages import TRANSFER_WORDS, label
from plugins.voting.protocol.rules import sheet_serial
from plugins.voting.services.ballots import PrintResult, ProxySheet, print_ballots
from plugins.voting.services.cast import motion_specs
from plugins.voting.services.meetings import SUPPORTED_RULES, get_meeting, snapshot_rule
from plugins.voting.services.revocation import voter_by_serial
from plugins.voting.tables import VotingBallot, VotingMeeting, VotingTransfer


@dataclass(frozen=True)
class Transfer:
    """What the clerk records from the new owner's papers."""

    serial: str  #: the flat's sheet serial (as printed on the old owner's sheet)
    new_owner: str
    transferred_on: date  #: the day the transfer was registered
    evidence: str = ""  #: e.g. 不动产权证书号
    paper_returned: bool = False  #: the old owner has already handed in a paper sheet


async def record_transfer(
    runtime: Runtime, district: DistrictInfo, public_id: str, actor: str, data: Transfer
) -> tuple[dict[str, Any], PrintResult | None]:
    """Record the transfer; print the new owner's sheet when the rule gives them the vote. Returns the
    summary and the printed sheet (None when the old owner's ballot stands)."""
    meeting = await get_meeting(public_id, district)
    if meeting["status"] not in {"published", "open"}:
        raise Conflict("voting_transfer_status", status=label(f"status.{meeting['status']}"))
    if meeting["status"] == "open" and (await district_now(district)) >= meeting["voting_closes"]:
        raise Conflict("voting_transfer_closed")
    rule, source = snapshot_rule(runtime, meeting, "ownership_transfer", "ballot_stands")
    if rule not in SUPPORTED_RULES["ownership_transfer"]:
        raise Conflict("voting_transfer_rule", rule=rule)
    name = data.new_owner.strip()
    if not name or len(name) > 100:
        raise BadRequest("voting_transfer_no_name")
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    if data.transferred_on > await district_today(district, profile):
        raise BadRequest("voting_transfer_future", date=people_date(data.transferred_on))
    voter = await voter_by_serial(meeting["id"], data.serial)
    if name == voter["name"].strip():
        raise BadRequest("voting_transfer_same_owner")
    now = await district_now(district)
    row: dict[str, Any] = {
        "meeting": meeting["id"],
        "voter_no": voter["voter_no"],
        "new_owner": name,
        "transferred_on": data.transferred_on,
        "evidence": data.evidence.strip()[:200],
        "recorded_by": actor,
        "recorded_at": now,
    }

    async def lock_and_check() -> dict[str, Any] | None:
        """Under the meeting's lock: the old owner's online ballot, if any; refuses a second transfer."""
        if isinstance(VotingMeeting._meta.db, PostgresEngine):
            await VotingMeeting.raw("SELECT id FROM voting_meeting WHERE id = {} FOR UPDATE", meeting["id"])
        earlier = (
            await VotingTransfer.select(VotingTransfer.new_owner)
            .where((VotingTransfer.meeting == meeting["id"]) & (VotingTransfer.voter_no == voter["voter_no"]))
            .first()
        )
        if earlier:
            raise Conflict("voting_transfer_exists", name=earlier["new_owner"])
        return await (
            VotingBallot.select(VotingBallot.received_at)
            .where((VotingBallot.meeting == meeting["id"]) & (VotingBallot.voter_no == voter["voter_no"]))
            .first()
        )

    async def stands(voted: dict[str, Any] | None) -> dict[str, Any]:
        await VotingTransfer.insert(VotingTransfer(**row, outcome="ballot_stands"))
        await record_audit(
            actor,
            "voting.transfer",
            district=district.slug,
            target=f"{public_id}:{voter['serial']}",
            details={"voter_no": voter["voter_no"], "outcome": "ballot_stands", "paper": voted is None},
        )
        how = (
            TRANSFER_WORDS["voted_online"].format(at=people_time(voted["received_at"], profile, seconds=True))
            if voted
            else TRANSFER_WORDS["paper_returned"]
        )
        return _summary(row, "ballot_stands", voter["serial"], None, how, source)

    if data.paper_returned:
        async with transaction(VotingTransfer._meta.db):
            return await stands(await lock_and_check()), None
    found: dict[str, Any] = {}

    async def store(version: int) -> None:
        """Inside the printing's transaction: the old owner has not voted, so the sheet moves."""
        voted = await lock_and_check()
        if voted:
            found["voted"] = voted
            raise _OldBallotStands
        await VotingTransfer.insert(VotingTransfer(**row, outcome="reissued", version=version))
        return None

    positions = frozenset(m.position for m in await motion_specs(meeting["id"]))
    try:
        printed = await print_ballots(
            runtime,
            district,
            public_id,
            actor,
            proxy=ProxySheet(
                voter_no=voter["voter_no"],
                holder=TRANSFER_WORDS["holder"].format(name=name),
                motions=positions,
                revoked_reason=TRANSFER_WORDS["revoked"].format(
                    name=name, on=people_date(data.transferred_on)
                ),
                store=store,
                audit="voting.transfer",
            ),
        )
    except _OldBallotStands:  # the old owner voted while the sheet was rendered: that ballot stands
        async with transaction(VotingTransfer._meta.db):
            return await stands(await lock_and_check()), None
    serial = sheet_serial(voter["serial"], printed.issued[0].version)
    return _summary(row, "reissued", voter["serial"], serial, TRANSFER_WORDS["reissued"], source), printed


class _OldBallotStands(Exception):
    """The old owner's ballot arrived before the transfer's transaction: nothing is reissued."""


def _summary(
    row: dict[str, Any], outcome: str, serial: str, sheet: str | None, words: str, source: str
) -> dict[str, Any]:
    return {
        "voter_no": row["voter_no"],
        "serial": serial,
        "new_owner": row["new_owner"],
        "transferred_on": row["transferred_on"].isoformat(),
        "outcome": outcome,
        "sheet": sheet,
        "message": words,
        "source": source,
    }


async def list_transfers(district: DistrictInfo, public_id: str) -> list[dict[str, Any]]:
    meeting = await get_meeting(public_id, district)
    rows = (
        await VotingTransfer.select()
        .where(VotingTransfer.meeting == meeting["id"])
        .order_by(VotingTransfer.id)
    )
    return [
        {
            "voter_no": r["voter_no"],
            "new_owner": r["new_owner"],
            "transferred_on": r["transferred_on"].isoformat(),
            "evidence": r["evidence"],
            "outcome": r["outcome"],
            "outcome_words": TRANSFER_WORDS.get(f"outcome_{r['outcome']}", r["outcome"]),
            "version": r["version"],
            "recorded_by": r["recorded_by"],
        }
        for r in rows
    ]
