"""Delivering the ballot sheets (送达), the notice and delivery-list documents, and opening the vote.

Seed 000 §5: ballots reach ALL owners at least 7 days before the meeting, in person with the owner's
signature, or by address / mailbox / door with two owners' or residents'-committee witnesses; the
delivery list is published. Voting may not open while a delivery is missing unless an officer records
why (audited).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from core import (
    BadRequest,
    Conflict,
    DistrictInfo,
    Runtime,
    bulk_insert,
    chinese_date,
    district_now,
    district_today,
    json_value,
    message,
    people_date,
    people_name,
    record_audit,
    record_read,
    render_document,
    short_code,
    table_xlsx,
    transaction,
)
from plugins.voting.messages import (
    EXPORT_WORDS,
    SCOPE_WORDS,
    UNDELIVERED_HEADINGS,
    UNDELIVERED_WORDS,
    VOTER_HEADINGS,
    label,
)
from plugins.voting.protocol.rules import format_area, parse_sheet_serial, sheet_serial, timetable_warnings
from plugins.voting.protocol.scope import first_part
from plugins.voting.schemas import MATTER_TITLES
from plugins.voting.services.announcement import chinese_moment
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
    correct: bool = False,
) -> dict[str, Any]:
    """Record how one voter's sheet was delivered; audited. A sheet already recorded as delivered is
    refused (409 ``voting_delivery_duplicate``, saying when, how and by whom) unless ``correct`` says
    the officer means to replace that record (audited as ``voting.delivery_correct``): one record per
    sheet, never a second one beside it."""
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
    if delivered_on > await district_today(district, profile):
        raise BadRequest("voting_delivery_future", date=people_date(delivered_on))
    recorded_at: datetime = await district_now(district)
    row = {
        VotingDelivery.method: method,
        VotingDelivery.delivered_on: delivered_on,
        VotingDelivery.received_by: received_by if method == "in_person" else "",
        VotingDelivery.witness_1: witness_1 if method == "door" else "",
        VotingDelivery.witness_2: witness_2 if method == "door" else "",
        VotingDelivery.note: note.strip()[:400],
        VotingDelivery.recorded_by: actor,
        VotingDelivery.recorded_at: recorded_at,
    }
    async with transaction(VotingDelivery._meta.db):
        existing = (
            await VotingDelivery.select()
            .where((VotingDelivery.meeting == meeting["id"]) & (VotingDelivery.voter_no == voter["voter_no"]))
            .first()
        )
        if existing and not correct:
            words = await delivery_words(existing)
            raise Conflict("voting_delivery_duplicate", message("voting_delivery_duplicate", **words))
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


async def delivery_words(record: dict[str, Any]) -> dict[str, str]:
    """A delivery record as the duplicate warning says it: the day, the method, the proof, who."""
    proof = record["received_by"] or "、".join(w for w in (record["witness_1"], record["witness_2"]) if w)
    return {
        "date": people_date(record["delivered_on"]),
        "method": label(f"delivery.{record['method']}"),
        "proof": (f"签收人 {proof}" if record["method"] == "in_person" else f"见证人 {proof}")
        if proof
        else "—",
        "by": await people_name(record["recorded_by"]),
    }


async def delivery_of(meeting: dict[str, Any], serial: str) -> dict[str, Any] | None:
    """The delivery recorded for the sheet bearing ``serial`` (None: not yet, or no such sheet)."""
    parsed = parse_sheet_serial(serial)
    if not parsed:
        return None
    voter = (
        await VotingVoter.select(VotingVoter.voter_no)
        .where((VotingVoter.meeting == meeting["id"]) & (VotingVoter.serial == parsed[0]))
        .first()
    )
    if voter is None:
        return None
    return (
        await VotingDelivery.select()
        .where((VotingDelivery.meeting == meeting["id"]) & (VotingDelivery.voter_no == voter["voter_no"]))
        .first()
    )


def building_of(unit_code: str) -> str:
    """The building (楼栋) of a unit as registers write its code: ``"3-1201"`` → ``"3"``, ``"2栋101"``
    → ``"2栋"`` (the first part a motion's scope names, protocol/scope.py); ``""`` when it names none."""
    return first_part(unit_code)


async def undelivered_sheets(meeting: dict[str, Any], building: str | None = None) -> list[dict[str, Any]]:
    """The voters whose sheet is not recorded as delivered, in register order, with the sheet's
    printed serial (``printed`` False: not printed yet, or revoked and not reissued) and the
    buildings of their units; ``building`` keeps those with a unit in it."""
    voters = (
        await VotingVoter.select().where(VotingVoter.meeting == meeting["id"]).order_by(VotingVoter.voter_no)
    )
    delivered = {
        d["voter_no"]
        for d in await VotingDelivery.select(VotingDelivery.voter_no).where(
            VotingDelivery.meeting == meeting["id"]
        )
    }
    active = {
        c["voter_no"]: c["version"]
        for c in await VotingCredential.select(VotingCredential.voter_no, VotingCredential.version).where(
            (VotingCredential.meeting == meeting["id"]) & VotingCredential.revoked_at.is_null()
        )
    }
    rows = []
    for voter in voters:
        if voter["voter_no"] in delivered:
            continue
        units = json_value(voter["unit_codes"])
        buildings = sorted({building_of(u) for u in units})
        if building is not None and building not in buildings:
            continue
        version = active.get(voter["voter_no"])
        rows.append(
            {
                "voter_no": voter["voter_no"],
                "serial": sheet_serial(voter["serial"], version) if version else voter["serial"],
                "printed": version is not None,
                "name": voter["name"],
                "units": "、".join(units),
                "buildings": buildings,
            }
        )
    return rows


async def buildings_of(meeting: dict[str, Any]) -> list[dict[str, Any]]:
    """Each building of the meeting's register with its voters and undelivered sheets."""
    voters = await VotingVoter.select(VotingVoter.voter_no, VotingVoter.unit_codes).where(
        VotingVoter.meeting == meeting["id"]
    )
    missing = {r["voter_no"] for r in await undelivered_sheets(meeting)}
    counts: dict[str, list[int]] = {}
    for voter in voters:
        for b in {building_of(u) for u in json_value(voter["unit_codes"])}:
            entry = counts.setdefault(b, [0, 0])
            entry[0] += 1
            entry[1] += voter["voter_no"] in missing
    order = sorted(counts, key=lambda b: (b == "", len(b), b))
    return [{"building": b, "voters": counts[b][0], "undelivered": counts[b][1]} for b in order]


async def record_building_delivery(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    actor: str,
    *,
    building: str,
    method: Literal["in_person", "door"],
    delivered_on: date,
    witness_1: str = "",
    witness_2: str = "",
    expected: list[int] | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Record every printed, undelivered sheet of ``building`` as delivered in one transaction (all
    or nothing; one audit entry naming the sheets). Door delivery needs two different witnesses, as a
    single sheet does; in person, each sheet's signer is its owner (the paper receipt list is the
    proof). ``dry_run``: every check, nothing written (what the confirmation states).
    ``expected`` (the voter numbers the officer confirmed) must still be the list, else 409."""
    meeting = await get_meeting(public_id, district)
    if meeting["status"] != "published":
        raise Conflict("voting_delivery_not_published", status=label(f"status.{meeting['status']}"))
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    building = building.strip()
    known = {b["building"] for b in await buildings_of(meeting)}
    if building not in known:
        raise BadRequest("voting_delivery_building_unknown", building=building or "—")
    witness_1, witness_2 = (v.strip()[:100] for v in (witness_1, witness_2))
    if method == "door" and (not witness_1 or not witness_2 or witness_1 == witness_2):
        raise BadRequest("voting_delivery_needs_witnesses")
    if delivered_on > await district_today(district, profile):
        raise BadRequest("voting_delivery_future", date=people_date(delivered_on))
    now = await district_now(district)
    async with transaction(VotingDelivery._meta.db):
        sheets = [r for r in await undelivered_sheets(meeting, building) if r["printed"]]
        if not sheets:
            raise Conflict("voting_delivery_building_empty", building=building or "—")
        numbers = [r["voter_no"] for r in sheets]
        if expected is not None and sorted(expected) != numbers:
            raise Conflict("confirm_state_changed")
        if dry_run:
            return {
                "building": building,
                "count": len(sheets),
                "serials": [r["serial"] for r in sheets],
                "voters": numbers,
                "late": delivered_on > meeting["delivery_deadline"],
            }
        await bulk_insert(
            VotingDelivery,
            [
                {
                    "meeting": meeting["id"],
                    "voter_no": r["voter_no"],
                    "method": method,
                    "delivered_on": delivered_on,
                    "received_by": r["name"][:100] if method == "in_person" else "",
                    "witness_1": witness_1 if method == "door" else "",
                    "witness_2": witness_2 if method == "door" else "",
                    "note": f"按楼栋批量登记（{building or '未标明楼栋'}）",
                    "recorded_by": actor,
                    "recorded_at": now,
                }
                for r in sheets
            ],
        )
        await record_audit(
            actor,
            "voting.delivery_batch",
            district=district.slug,
            target=public_id,
            details={
                "building": building,
                "method": method,
                "delivered_on": delivered_on.isoformat(),
                "sheets": [r["serial"] for r in sheets],
                "late": delivered_on > meeting["delivery_deadline"],
            },
        )
    return {
        "building": building,
        "count": len(sheets),
        "serials": [r["serial"] for r in sheets],
        "voters": numbers,
        "late": delivered_on > meeting["delivery_deadline"],
    }


async def undelivered_xlsx(
    district: DistrictInfo, public_id: str, actor: str, building: str | None = None
) -> tuple[bytes, str]:
    """The undelivered sheets (of one building, or all) as an XLSX: a read of personal data, audited."""
    meeting = await get_meeting(public_id, district)
    rows = await undelivered_sheets(meeting, building)
    await record_read(
        actor, "voting.undelivered_export", district, public_id, voters=len(rows), building=building or ""
    )
    content = table_xlsx(
        UNDELIVERED_HEADINGS,
        (
            (
                r["voter_no"],
                r["serial"],
                "、".join(b or UNDELIVERED_WORDS["no_building"] for b in r["buildings"]),
                r["units"],
                r["name"],
                "" if r["printed"] else UNDELIVERED_WORDS["not_printed"],
            )
            for r in rows
        ),
        sheet=UNDELIVERED_WORDS["sheet"],
    )
    name = (
        UNDELIVERED_WORDS["file_building"].format(meeting=public_id, building=building or "未标明")
        if building is not None
        else UNDELIVERED_WORDS["file"].format(meeting=public_id)
    )
    return content, name


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
            today=(await district_today(meeting["district"], profile)),
            notice_date=meeting["notice_date"],
            delivery_deadline=meeting["delivery_deadline"],
            meeting_date=meeting["meeting_date"],
            voters=status["voters"],
            printed=status["printed"],
            delivered=status["delivered"],
        )
    ]


async def open_check(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    override_reason: str = "",
) -> tuple[dict[str, Any], int, str]:
    """What opening the vote would do, or why it may not: ``(meeting, undelivered, reason)``."""
    meeting = await get_meeting(public_id, district)
    if meeting["status"] != "published":
        raise Conflict("voting_open_not_published", status=meeting["status"])
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    if await district_today(district, profile) < meeting["meeting_date"]:
        raise BadRequest("voting_open_too_early", date=people_date(meeting["meeting_date"]))
    status = await delivery_status(meeting)
    if status["printed"] < status["voters"]:
        raise BadRequest("voting_open_not_printed", count=status["voters"] - status["printed"])
    missing = status["voters"] - status["delivered"]
    reason = override_reason.strip()[:1000]
    if missing and not reason:
        raise Conflict("voting_open_undelivered", count=missing)
    return meeting, missing, reason


async def open_voting(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    actor: str,
    override_reason: str = "",
) -> dict[str, Any]:
    """Start the vote on (or after) the meeting day, by the district's clock. Missing deliveries block
    it unless an officer gives a reason, which is kept on the meeting and in the audit log. The board's
    first head is signed at once."""
    from plugins.voting.services.heads import sign_head

    meeting, missing, reason = await open_check(runtime, district, public_id, override_reason)
    async with transaction(VotingMeeting._meta.db):
        await VotingMeeting.update(
            {
                VotingMeeting.status: "open",
                VotingMeeting.delivery_override: reason if missing else "",
                VotingMeeting.opened_at: await district_now(district),
            }
        ).where(VotingMeeting.id == meeting["id"])
        await record_audit(
            actor,
            "voting.open_override" if missing else "voting.open",
            district=district.slug,
            target=public_id,
            details={"undelivered": missing, "reason": reason} if missing else {},
        )
    await sign_head(runtime, district, public_id, actor, trigger="open")
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
        "closes_cn": chinese_moment(closes),
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
                "title": m["title"]
                + (SCOPE_WORDS["notice"].format(label=m["scope_label"]) if "scope_label" in m else ""),
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
        "date_cn": chinese_date(await district_today(district, profile)),
    }
    return await render_document(
        "voting/delivery.docx", context, pm=runtime.pm, district=district, jurisdiction=profile
    )
