"""Sealing a meeting: the bulletin board becomes a signed, immutable record, and the tally is computed
from that record only. Export writes the record, the seal and the tally as one zip (docs/protocol.md §9).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from core import audit
from core.db import transaction
from core.districts import DistrictInfo
from core.errors import Conflict, NotFound
from core.tables import District, Estate
from plugins.voting import messages  # noqa: F401
from plugins.voting.cast import _contexts
from plugins.voting.keys import meeting_signer
from plugins.voting.meetings import get_meeting
from plugins.voting.messages import BUNDLE_README, label
from plugins.voting.record import (
    RECORD_PROTOCOL,
    quiet_gc,
    record_json,
    seal_message,
    seal_root,
    seal_statement,
    section_digests,
    section_texts,
)
from plugins.voting.rules import natural_key
from plugins.voting.tables import (
    VotingBallot,
    VotingCredential,
    VotingFrozenUnit,
    VotingMeeting,
    VotingMotion,
    VotingOfficial,
    VotingPaperBallot,
    VotingSeal,
    VotingVoter,
)
from plugins.voting.tally import compute_tally


def iso(at: datetime | None) -> str | None:
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def build_record(meeting: dict[str, Any], sealed_at: datetime, sealed_by: str) -> dict[str, Any]:
    """Everything on the bulletin board of ``meeting``, as the record's six sections."""
    mid = meeting["id"]
    motions = await VotingMotion.select().where(VotingMotion.meeting == mid).order_by(VotingMotion.position)
    officials = (
        await VotingOfficial.select(VotingOfficial.role, VotingOfficial.name)
        .where(VotingOfficial.meeting == mid)
        .order_by(VotingOfficial.id)
    )
    district = await District.select(District.name).where(District.id == meeting["district"]).first()
    estate = await Estate.select(Estate.name).where(Estate.id == meeting["estate"]).first()
    _, public_key = await meeting_signer(mid)
    units = await VotingFrozenUnit.select(
        VotingFrozenUnit.unit_code,
        VotingFrozenUnit.area_centi,
        VotingFrozenUnit.area_source,
        VotingFrozenUnit.owner_key,
        VotingFrozenUnit.developer_unsold,
    ).where(VotingFrozenUnit.meeting == mid)
    units.sort(key=lambda u: natural_key(u["unit_code"]))
    voters = (
        await VotingVoter.select(
            VotingVoter.voter_no,
            VotingVoter.serial,
            VotingVoter.unit_codes,
            VotingVoter.area_centi,
            VotingVoter.heads,
        )
        .where(VotingVoter.meeting == mid)
        .order_by(VotingVoter.voter_no)
    )
    credentials = (
        await VotingCredential.select(
            VotingCredential.voter_no,
            VotingCredential.version,
            VotingCredential.public_key,
            VotingCredential.revoked_at,
        )
        .where(VotingCredential.meeting == mid)
        .order_by(VotingCredential.voter_no, VotingCredential.version)
    )
    ballots = (
        await VotingBallot.select(
            VotingBallot.voter_no,
            VotingBallot.ballot,
            VotingBallot.signature,
            VotingBallot.ballot_hash,
            VotingBallot.received_at,
        )
        .where(VotingBallot.meeting == mid)
        .order_by(VotingBallot.voter_no)
    )
    paper = (
        await VotingPaperBallot.select()
        .where(VotingPaperBallot.meeting == mid)
        .order_by(VotingPaperBallot.voter_no, VotingPaperBallot.sheet_serial)
    )
    return {
        "protocol": RECORD_PROTOCOL,
        "meeting": {
            "meeting": meeting["public_id"],
            "title": meeting["title"],
            "district": district["name"] if district else "",
            "estate": estate["name"] if estate else "",
            "jurisdiction": meeting["jurisdiction_code"],
            "meeting_date": meeting["meeting_date"].isoformat(),
            "voting_closes": iso(meeting["voting_closes"]),
            "count_date": meeting["count_date"].isoformat(),
            "register_digest": meeting["register_digest"],
            "meeting_key": public_key,
            "sealed_at": iso(sealed_at),
            "sealed_by": sealed_by,
            "motions": [
                {
                    "position": m["position"],
                    "title": m["title"],
                    "matter": m["matter"],
                    "kind": m["kind"],
                    "seats": m["seats"],
                    "candidates": _json(m["candidates"]),
                }
                for m in motions
            ],
            "officials": [{"role": o["role"], "name": o["name"]} for o in officials],
        },
        "rules": _json(meeting["rules_snapshot"]),
        "register": {
            "headcount_method": meeting["headcount_method"],
            "units": [
                {
                    "unit_code": u["unit_code"],
                    "area_centi": u["area_centi"],
                    "area_source": u["area_source"],
                    "owner_key": u["owner_key"],
                    "developer_unsold": bool(u["developer_unsold"]),
                }
                for u in units
            ],
            "voters": [
                {
                    "voter_no": v["voter_no"],
                    "serial": v["serial"],
                    "units": _json(v["unit_codes"]),
                    "area_centi": v["area_centi"],
                    "heads": v["heads"],
                }
                for v in voters
            ],
        },
        "credentials": [
            {
                "voter_no": c["voter_no"],
                "version": c["version"],
                "public_key": c["public_key"],
                "revoked_at": iso(c["revoked_at"]),
            }
            for c in credentials
        ],
        "ballots": [
            {
                "voter_no": b["voter_no"],
                "ballot": json.loads(b["ballot"]),
                "signature": b["signature"],
                "ballot_hash": b["ballot_hash"],
                "received_at": iso(b["received_at"]),
            }
            for b in ballots
        ],
        "paper": [
            {
                "voter_no": p["voter_no"],
                "sheet_serial": p["sheet_serial"],
                "version": p["version"],
                "choices": json.loads(p["choices"]),
                "status": p["status"],
                "entered_by": p["entered_by"],
                "confirmed_by": p["confirmed_by"],
                "entered_at": iso(p["entered_at"]),
            }
            for p in paper
        ],
    }


async def seal_meeting(
    district: DistrictInfo, public_id: str, actor: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """Close the bulletin board for good: status ``sealed`` first (so no ballot or paper entry can be
    added after), then the record, its root, the meeting key's signature and the tally, in one
    transaction; audited."""
    now = now or datetime.now(UTC)
    meeting = await get_meeting(public_id, district)
    if meeting["status"] == "sealed":
        raise Conflict("voting_seal_already")
    if meeting["status"] not in {"open", "closed"}:
        raise Conflict("voting_seal_not_open", status=label(f"status.{meeting['status']}"))
    if now < meeting["voting_closes"]:
        raise Conflict("voting_seal_before_close")
    engine = VotingMeeting._meta.db
    async with transaction(engine):
        if isinstance(engine, PostgresEngine):
            await VotingMeeting.raw("SELECT id FROM voting_meeting WHERE id = {} FOR UPDATE", meeting["id"])
        changed = (
            await VotingMeeting.update({VotingMeeting.status: "sealed"})
            .where((VotingMeeting.id == meeting["id"]) & VotingMeeting.status.is_in(["open", "closed"]))
            .returning(VotingMeeting.id)
        )
        if not changed:
            raise Conflict("voting_seal_already")
        with quiet_gc():
            record = await build_record(meeting, now, actor)
            tally = compute_tally(record)
            texts = section_texts(record)  # each section encoded once: for its digest and for the record
            statement = seal_statement(record, section_digests(record, texts))
            record_text = record_json(record, texts).decode()
            del texts
        key, _ = await meeting_signer(meeting["id"])
        signature = key.sign(seal_message(public_id, statement)).hex()
        root = seal_root(public_id, statement)
        await VotingSeal.insert(
            VotingSeal(
                meeting=meeting["id"],
                root=root,
                signature=signature,
                record=record_text,
                statement=json.dumps(statement, ensure_ascii=False),
                tally=json.dumps(tally, ensure_ascii=False),
                sealed_at=now,
                sealed_by=actor,
            )
        )
        await audit.record(
            actor,
            "voting.meeting_seal",
            district=district.slug,
            target=public_id,
            details={"root": root, **statement["counts"]},
        )
    _contexts.pop(public_id, None)
    return {"meeting": public_id, "root": root, "counts": statement["counts"], "tally": tally}


async def sealed(public_id: str) -> dict[str, Any]:
    """The stored seal of a meeting (404 ``voting_not_sealed`` before sealing)."""
    meeting = await get_meeting(public_id)
    row = await VotingSeal.select().where(VotingSeal.meeting == meeting["id"]).first()
    if row is None:
        raise NotFound("voting_not_sealed")
    return {**row, "public_id": public_id, "meeting_row": meeting}


async def tally_of(public_id: str) -> dict[str, Any]:
    """The tally, recomputed from the sealed record (never from the live tables)."""
    row = await sealed(public_id)
    with quiet_gc():
        return compute_tally(json.loads(row["record"]))


async def export_bundle(public_id: str) -> bytes:
    """The zip anyone can verify: record.json, seal.json, tally.json and a README."""
    row = await sealed(public_id)
    with quiet_gc():
        record = json.loads(row["record"])
        tally = compute_tally(record)
    statement = json.loads(row["statement"])
    seal = {
        "protocol": "wuye-seal-v1",
        "meeting": public_id,
        "meeting_key": record["meeting"]["meeting_key"],
        "statement": statement,
        "root": row["root"],
        "signature": row["signature"],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("record.json", row["record"])
        bundle.writestr("seal.json", json.dumps(seal, ensure_ascii=False, indent=2))
        bundle.writestr("tally.json", json.dumps(tally, ensure_ascii=False, indent=2))
        bundle.writestr(
            "README.txt",
            BUNDLE_README.format(
                title=record["meeting"]["title"], meeting_key=seal["meeting_key"], root=row["root"]
            ),
        )
    return buffer.getvalue()
