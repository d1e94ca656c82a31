"""Delivering the ballot sheets (送达), the notice and delivery-list documents, and opening the vote.

Seed 000 §5: ballots reach ALL owners at least 7 days before the meeting, in person with the owner's
signature, or by address / mailbox / door with two owners' or residents'-committee witnesses; the
delivery list is published. Voting may not open while a delivery is missing unless an officer records
why (audited).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from core import (
    BadRequest,
    Conflict,
    DistrictInfo,
    Runtime,
    chinese_date,
    message,
    people_date,
    record_audit,
    record_read,
    render_document,
    short_code,
    table_xlsx,
    today_in,
    transaction,
)
from plugins.voting.messages import EXPORT_WORDS, VOTER_HEADINGS, label
from plugins.voting.protocol.rules import format_area, parse_sheet_serial, timetable_warnings
from plugins.voting.schemas import MATTER_TITLES
from plugins.voting.services.keys import meeting_key
from plugins.voting.services.meetings import get_meeting, meeting_summary
from plugins.voting.tables import VotingCredential, VotingDelivery, VotingMeeting, VotingVoter


async def record_delivery(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    actor: str,
    *,
    serial: str,
    method: Literal["in_person", "door"],
    delivered_on: date,
    received_by: str = "",
    witness_1: str = "",
    witness_2: str = "",
    note: str = "",
) -> dict[str, Any]:
    """Record (or correct) how one voter's sheet was delivered; audited."""
    meeting = await get_meeting(public_id, district)
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    parsed = parse_sheet_serial(serial)
    voter = (
        await VotingVoter.select()
        .where((VotingVoter.meeting == meeting["id"]) & (VotingVoter.serial == parsed[0]))
        .first()
        if parsed
        else None
    )
    if voter is None:
        raise BadRequest("voting_delivery_bad_serial", serial=serial)
    received_by, witness_1, witness_2 = (v.strip()[:100] for v in (received_by, witness_1, witness_2))
    if method == "in_person" and not received_by:
        raise BadRequest("voting_delivery_needs_signature")
    if method == "door" and (not witness_1 or not witness_2 or witness_1 == witness_2):
        raise BadRequest("voting_delivery_needs_witnesses")
    if delivered_on > today_in(profile):
        raise BadRequest("voting_delivery_future", date=people_date(delivered_on))
    row = {
        VotingDelivery.method: method,
        VotingDelivery.delivered_on: delivered_on,
        VotingDelivery.received_by: received_by if method == "in_person" else "",
        VotingDelivery.witness_1: witness_1 if method == "door" else "",
        VotingDelivery.witness_2: witness_2 if method == "door" else "",
        VotingDelivery.note: note.strip()[:400],
        VotingDelivery.recorded_by: actor,
        VotingDelivery.recorded_at: datetime.now(UTC),
    }
    async with transaction(VotingDelivery._meta.db):
        existing = (
            await VotingDelivery.select(VotingDelivery.id)
            .where((VotingDelivery.meeting == meeting["id"]) & (VotingDelivery.voter_no == voter["voter_no"]))
            .first()
        )
        if existing:
            await VotingDelivery.update(row).where(VotingDelivery.id == existing["id"])
        else:
            await VotingDelivery.insert(
                VotingDelivery(
                    meeting=meeting["id"],
                    voter_no=voter["voter_no"],
                    **{c._meta.name: v for c, v in row.items()},
                )
            )
        await record_audit(
            actor,
            "voting.delivery_correct" if existing else "voting.delivery",
            district=district.slug,
            target=f"{public_id}:{serial}",
            details={
                "method": method,
                "delivered_on": delivered_on.isoformat(),
                "late": delivered_on > meeting["delivery_deadline"],
            },
        )
    return {
        "serial": serial,
        "method": method,
        "delivered_on": delivered_on.isoformat(),
        "late": delivered_on > meeting["delivery_deadline"],
    }


async def delivery_status(meeting: dict[str, Any]) -> dict[str, Any]:
    voters = await VotingVoter.count().where(VotingVoter.meeting == meeting["id"])
    delivered = await VotingDelivery.count().where(VotingDelivery.meeting == meeting["id"])
    printed = await VotingCredential.count().where(
        (VotingCredential.meeting == meeting["id"]) & VotingCredential.revoked_at.is_null()
    )
    return {"voters": voters, "delivered": delivered, "printed": printed}


async def warnings_for(runtime: Runtime, meeting: dict[str, Any]) -> list[dict[str, str]]:
    """The console's deadline warnings for a published meeting (none otherwise)."""
    if meeting["status"] != "published":
        return []
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    status = await delivery_status(meeting)
    return [
        {"level": w.level, "code": w.code, "message": message(w.code, **w.values)}
        for w in timetable_warnings(
            today=today_in(profile),
            notice_date=meeting["notice_date"],
            delivery_deadline=meeting["delivery_deadline"],
            meeting_date=meeting["meeting_date"],
            voters=status["voters"],
            printed=status["printed"],
            delivered=status["delivered"],
        )
    ]


async def open_voting(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    actor: str,
    override_reason: str = "",
    *,
    today: date | None = None,
) -> dict[str, Any]:
    """Start the vote on (or after) the meeting day. Missing deliveries block it unless an officer
    gives a reason, which is kept on the meeting and in the audit log."""
    meeting = await get_meeting(public_id, district)
    if meeting["status"] != "published":
        raise Conflict("voting_open_not_published", status=meeting["status"])
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    if (today or today_in(profile)) < meeting["meeting_date"]:
        raise BadRequest("voting_open_too_early", date=people_date(meeting["meeting_date"]))
    status = await delivery_status(meeting)
    if status["printed"] < status["voters"]:
        raise BadRequest("voting_open_not_printed", count=status["voters"] - status["printed"])
    missing = status["voters"] - status["delivered"]
    reason = override_reason.strip()[:1000]
    if missing and not reason:
        raise Conflict("voting_open_undelivered", count=missing)
    async with transaction(VotingMeeting._meta.db):
        await VotingMeeting.update(
            {VotingMeeting.status: "open", VotingMeeting.delivery_override: reason if missing else ""}
        ).where(VotingMeeting.id == meeting["id"])
        await record_audit(
            actor,
            "voting.open_override" if missing else "voting.open",
            district=district.slug,
            target=public_id,
            details={"undelivered": missing, "reason": reason} if missing else {},
        )
    return await meeting_summary(public_id)


async def _public_key(runtime: Runtime, meeting_id: int) -> str:
    try:
        return (await meeting_key(runtime, meeting_id))[1]
    except LookupError:  # a draft has no key yet
        return "（会议发布后生成）"


async def notice_document(runtime: Runtime, district: DistrictInfo, public_id: str) -> bytes:
    """The meeting notice (公告): timetable, motions with their rules, officials, register digest."""
    meeting = await get_meeting(public_id, district)
    summary = await meeting_summary(public_id)
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    rules = profile.rule("voting", "matter_rules", {})
    closes = meeting["voting_closes"].astimezone(ZoneInfo(profile.timezone))
    key = await _public_key(runtime, meeting["id"])
    context = {
        "issuer": district.name,
        "meeting_title": meeting["title"],
        "location": meeting["location"],
        "meeting_date_cn": chinese_date(meeting["meeting_date"]),
        "delivery_deadline_cn": chinese_date(meeting["delivery_deadline"]),
        "closes_cn": f"{chinese_date(closes.date())}{closes.hour}时{closes.minute:02d}分",
        "count_date_cn": chinese_date(meeting["count_date"]),
        "rule_summary": profile.summary,
        "profile_name": profile.name,
        "register_digest": summary["register_digest"],
        "voters": summary["voters"],
        "verify_url": f"{runtime.settings.base_url}/verify/{public_id}",
        "meeting_key": key,
        "register_code": short_code(summary["register_digest"] or ""),
        "key_code": short_code(key) if key.isascii() else key,
        "motions": [
            {
                "position": m["position"],
                "title": m["title"],
                "matter": MATTER_TITLES.get(m["matter"], m["matter"]),
                "rule": profile.threshold(rules.get(m["matter"], "voting.ordinary")).describe(),
                "detail": (
                    "、".join(c["name"] for c in m["candidates"]) + f"（应选 {m['seats']} 名）"
                    if m["kind"] == "election"
                    else label("motion.resolution")
                ),
            }
            for m in summary["motions"]
        ],
        "officials": [{"role": label(f"role.{o['role']}"), "name": o["name"]} for o in summary["officials"]],
        "date_cn": chinese_date(meeting["notice_date"]),
    }
    return await render_document(
        "voting/notice.docx", context, pm=runtime.pm, district=district, jurisdiction=profile
    )


async def delivery_rows(meeting: dict[str, Any]) -> list[dict[str, Any]]:
    """Every voter of a meeting, and how and when the sheet reached them (the delivery list's rows)."""
    voters = (
        await VotingVoter.select().where(VotingVoter.meeting == meeting["id"]).order_by(VotingVoter.voter_no)
    )
    deliveries = {
        d["voter_no"]: d for d in await VotingDelivery.select().where(VotingDelivery.meeting == meeting["id"])
    }
    rows = []
    for voter in voters:
        units = voter["unit_codes"]
        units = json.loads(units) if isinstance(units, str) else units
        d = deliveries.get(voter["voter_no"])
        rows.append(
            {
                "voter_no": voter["voter_no"],
                "serial": voter["serial"],
                "name": voter["name"],
                "units": "、".join(units),
                "area": format_area(voter["area_centi"]),
                "method": label(f"delivery.{d['method']}") if d else label("delivery.missing"),
                "date": d["delivered_on"].isoformat() if d else "",
                "proof": (d["received_by"] or f"{d['witness_1']}、{d['witness_2']}") if d else "",
            }
        )
    return rows


async def voters_xlsx(district: DistrictInfo, public_id: str, actor: str) -> tuple[bytes, str]:
    """The meeting's voters and deliveries as an XLSX (a read of personal data: audited)."""
    meeting = await get_meeting(public_id, district)
    rows = await delivery_rows(meeting)
    await record_read(actor, "voting.voters_export", district, public_id, voters=len(rows))
    content = table_xlsx(
        VOTER_HEADINGS,
        (
            (r["voter_no"], r["serial"], r["name"], r["units"], r["area"], r["method"], r["date"], r["proof"])
            for r in rows
        ),
        sheet=EXPORT_WORDS["voters_sheet"],
    )
    return content, EXPORT_WORDS["voters_file"].format(meeting=public_id)


async def delivery_list_document(runtime: Runtime, district: DistrictInfo, public_id: str) -> bytes:
    """The delivery list (送达记录): every voter, how and when the sheet reached them."""
    meeting = await get_meeting(public_id, district)
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    rows = await delivery_rows(meeting)
    context = {
        "issuer": district.name,
        "title": f"{meeting['title']}表决票送达记录",
        "deadline": chinese_date(meeting["delivery_deadline"]),
        "rows": rows,
        "delivered": sum(1 for r in rows if r["date"]),
        "total": len(rows),
        "date_cn": chinese_date(today_in(profile)),
    }
    return await render_document(
        "voting/delivery.docx", context, pm=runtime.pm, district=district, jurisdiction=profile
    )
