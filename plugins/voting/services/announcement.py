"""The result announcement (表决结果公告): tables by area and headcount, the rule, the outcome, the
officials, the seal root and a QR code to the public verification page; and its publication deadline
(the profile's ``voting.result_publication``, counted from the day of the seal)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from core import (
    Conflict,
    DistrictInfo,
    DocxImage,
    NotFound,
    Runtime,
    allocate_doc_number,
    chinese_date,
    district_now,
    district_today,
    issued_doc_number,
    local_time,
    people_date,
    people_name,
    record_audit,
    render_document,
    short_code,
    transaction,
)
from plugins.voting.messages import ANNOUNCEMENT_WORDS as W
from plugins.voting.messages import SCOPE_WORDS, label
from plugins.voting.protocol.credentials import qr_png
from plugins.voting.protocol.scope import scope_label
from plugins.voting.schemas import MATTER_TITLES
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.seal import record_text, sealed
from plugins.voting.tables import VotingSeal

#: The 发文字号's kind for a result notice (core.documents.numbers); one number per meeting.
NUMBER_KIND = "voting.result"


def motion_rows(motion: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a motion's table: totals and choices for a resolution, candidates for an election."""
    area, heads = motion["area"], motion["headcount"]

    def share(part: str | int, whole: str | int) -> str:
        """The percentage over the counts behind it, unreduced, on two lines: ``73.91%\n187/253``
        (docxtpl turns the newline into a line break; the public page sets the lines apart)."""
        p, w = (int(str(x).replace(".", "")) for x in (part, whole))
        if w == 0:
            return "—"
        hundredths = (p * 20000 + w) // (2 * w)
        return f"{hundredths // 100}.{hundredths % 100:02d}%\n{part}/{whole}"

    rows = [
        {
            "label": W["total"],
            "area": area["total"],
            "area_share": "100.00%",
            "heads": heads["total"],
            "heads_share": "100.00%",
        },
        {
            "label": W["participating"],
            "area": area["participating"],
            "area_share": share(area["participating"], area["total"]),
            "heads": heads["participating"],
            "heads_share": share(heads["participating"], heads["total"]),
        },
    ]
    base_area = area["total"] if motion["rule"]["base"] == "total" else area["participating"]
    base_heads = heads["total"] if motion["rule"]["base"] == "total" else heads["participating"]
    if motion["kind"] == "election":
        for c in motion["candidates"]:
            rows.append(
                {
                    "label": f"{c['name']}{W['elected'] if c['elected'] else ''}",
                    "area": c["area"],
                    "area_share": share(c["area"], base_area),
                    "heads": c["headcount"],
                    "heads_share": share(c["headcount"], base_heads),
                }
            )
    else:
        for key in ("agree", "oppose", "abstain"):
            rows.append(
                {
                    "label": W[key],
                    "area": area[key],
                    "area_share": share(area[key], base_area),
                    "heads": heads[key],
                    "heads_share": share(heads[key], base_heads),
                }
            )
    rows.append(
        {
            "label": W["not_voted"],
            "area": area["not_voted"],
            "area_share": share(area["not_voted"], area["total"]),
            "heads": heads["not_voted"],
            "heads_share": share(heads["not_voted"], heads["total"]),
        }
    )
    return rows


def chinese_moment(moment: datetime) -> str:
    """A local time as official documents write it: ``二〇二六年十二月三日17时00分``."""
    return f"{chinese_date(moment.date())}{moment.hour}时{moment.minute:02d}分"


async def result_context(
    runtime: Runtime, district: DistrictInfo, public_id: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], Any, dict[str, Any]]:
    """What the result's documents (the preliminary notice and the announcement) show, from the
    sealed record: the meeting, the seal row, the record, the profile and the template context."""
    meeting = await get_meeting(public_id, district)
    try:
        seal = await sealed(public_id)
    except NotFound:
        raise Conflict("voting_announce_not_sealed") from None
    record = json.loads(await record_text(runtime, seal))
    tally = json.loads(seal["tally"])
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    closes = local_time(meeting["voting_closes"], profile)
    officials = record["meeting"]["officials"]

    def names(role: str) -> str:
        return "、".join(o["name"] for o in officials if o["role"] == role)

    verify_url = f"{runtime.settings.base_url}/verify/{public_id}"
    first = tally["motions"][0] if tally["motions"] else None
    context = {
        "issuer": f"{record['meeting']['estate']}{W['issuer_suffix']}",
        "meeting_title": meeting["title"],
        "meeting_date_cn": chinese_date(meeting["meeting_date"]),
        "closes_cn": chinese_moment(closes),
        "count_date_cn": chinese_date(meeting["count_date"]),
        "profile_name": tally["profile_name"],
        "voters": tally["voters"],
        "area_total": first["area"]["total"] if first else "0.00",
        "counted": tally["counted"]["total"],
        "online": tally["counted"]["online"],
        "paper": tally["counted"]["paper"],
        "set_aside": len(tally["set_aside"]),
        "motions": [
            {
                "heading": W["heading"].format(
                    position=m["motion"],
                    title=m["title"]
                    + (
                        SCOPE_WORDS["notice"].format(label=scope_label(m["scope"]["prefixes"]))
                        if "scope" in m
                        else ""
                    ),
                    matter=MATTER_TITLES.get(m["matter"], m["matter"]),
                    outcome=(W["elected_outcome"] if m["kind"] == "election" else W["passed"])
                    if m["passed"]
                    else W["failed"],
                ),
                "rows": motion_rows(m),
                "rule": f"{m['rule']['participation']['description']}{W['take_part']}；"
                f"{m['rule']['description']}{W['agree_needed']}（{m['rule']['source']}）",
                "reason": m["reason"],
            }
            for m in tally["motions"]
        ],
        "counters": names("counter") or "—",
        "scrutineers": names("scrutineer") or "—",
        "callers": names("caller"),
        "sealed_cn": chinese_date(local_time(seal["sealed_at"], profile).date()),
        "check_code": short_code(seal["root"]),  # as the verification page shows it
        "root": seal["root"],
        "meeting_key": record["meeting"]["meeting_key"],
        "verify_url": verify_url,
        "qr": DocxImage(qr_png(verify_url, scale=4), 30),
        "date_cn": chinese_date(await district_today(district, profile)),
    }
    return meeting, seal, record, profile, context


async def document_number(
    district: DistrictInfo, kind: str, target: str, estate: str, profile: Any, actor: str
) -> str:
    """The 发文字号 of one of the meeting's documents, issued by the estate's owners' assembly
    (``<estate>业字〔年〕n号``; kept once allocated for ``target``)."""
    return await allocate_doc_number(
        district.id,
        kind,
        target,
        office=f"{estate}{W['number_office']}",
        year=(await district_today(district, profile)).year,
        actor=actor,
    )


async def announcement_document(
    runtime: Runtime, district: DistrictInfo, public_id: str, actor: str
) -> bytes:
    """Render the announcement from the sealed record; the first issue is recorded (deadline) and
    every issue audited. After a preliminary notice, only once its objection period is over and every
    objection answered (services/result_phases.py)."""
    from plugins.voting.services.result_phases import final_phase_words

    meeting, seal, record, profile, context = await result_context(runtime, district, public_id)
    context["preliminary"] = await final_phase_words(meeting, seal, profile)
    estate = record["meeting"]["estate"]
    async with transaction(VotingSeal._meta.db):
        context["doc_number"] = await document_number(
            district, NUMBER_KIND, public_id, estate, profile, actor
        )
        docx = await render_document(
            "voting/result.docx", context, pm=runtime.pm, district=district, jurisdiction=profile
        )
        now = await district_now(district)
        if seal["announced_at"] is None:
            await VotingSeal.update({VotingSeal.announced_at: now, VotingSeal.announced_by: actor}).where(
                (VotingSeal.id == seal["id"]) & VotingSeal.announced_at.is_null()
            )
        await record_audit(
            actor,
            "voting.result_announce",
            district=district.slug,
            target=public_id,
            details={
                "root": seal["root"],
                "first": seal["announced_at"] is None,
                "doc_number": context["doc_number"],
            },
        )
    return docx


async def publication_status(runtime: Runtime, meeting: dict[str, Any]) -> dict[str, Any] | None:
    """The result's publication deadline (sealed day + the profile's days) and whether it was met;
    None before the seal."""
    row = await VotingSeal.select().where(VotingSeal.meeting == meeting["id"]).first()
    if row is None:
        return None
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    deadline = profile.deadline("voting.result_publication")
    sealed_day = local_time(row["sealed_at"], profile).date()
    due = sealed_day + timedelta(days=deadline.days)
    today = await district_today(meeting["district"], profile)
    # the result is published by its preliminary notice, where there is one (the final follows the
    # objection period: services/result_phases.py)
    first = row["preliminary_at"] or row["announced_at"]
    announced = local_time(first, profile).date() if first else None
    if announced is not None:
        state = "on_time" if announced <= due else "late"
    else:
        state = "overdue" if today > due else "pending"
    return {
        "root": row["root"],
        "sealed_on": sealed_day.isoformat(),
        "due": due.isoformat(),
        "days": deadline.days,
        "source": deadline.source.article,
        "announced_on": announced.isoformat() if announced else None,
        "announced_on_local": people_date(announced) if announced else None,
        "announced_by": await people_name(row["announced_by"] or row["preliminary_by"]),
        "doc_number": await issued_doc_number(meeting["district"], NUMBER_KIND, meeting["public_id"]),
        "state": state,
        "message": W[
            "state_preliminary" if row["preliminary_at"] and not row["announced_at"] else f"state_{state}"
        ].format(due=people_date(due), days=deadline.days),
        "status_label": label("status.sealed"),
    }
