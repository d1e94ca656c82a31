"""The 住房状况核查结果报告: one per entrustment, a section per household with its computation;
issuing it closes the entrustment and records whether the 10-working-day deadline was met."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from core import (
    Actor,
    BadRequest,
    Jurisdiction,
    NotFound,
    chinese_date,
    chinese_number,
    mask_id,
    record_audit,
    render_document,
    transaction,
    work_calendar,
)
from plugins.housing_check import messages
from plugins.housing_check.access import entrustment_for
from plugins.housing_check.messages import label
from plugins.housing_check.services import (
    _household_data,
    _require_open,
    deadline_of,
    due_info,
    officer_names,
    summary,
    today_in,
)
from plugins.housing_check.tables import HousingCheckEntrustment, HousingCheckHousehold, HousingCheckReport


def _ordinal(n: int) -> str:
    return chinese_number(n) if n < 32 else str(n)


async def issue_report(
    pm: Any, district: Any, profile: Jurisdiction, actor: Actor, public_id: str, *, today: date | None = None
) -> dict[str, Any]:
    row = await entrustment_for(actor, district, public_id)
    _require_open(row)
    issued = today or today_in(profile)
    households = (
        await HousingCheckHousehold.select()
        .where(HousingCheckHousehold.entrustment == row["id"])
        .order_by(HousingCheckHousehold.position)
    )
    sections = []
    computations = {}
    for number, household in enumerate(households, start=1):
        data = await _household_data(row, household, full_ids=False)
        if not data["checked"]:
            raise BadRequest("housing_check_household_unchecked", household=household["household_no"])
        if data["computation"] is None:
            raise BadRequest("validation_failed", detail=data["computation_problem"])
        computations[household["household_no"]] = data["computation"]
        sections.append(_section(number, data))
    calendar = await work_calendar(profile.calendar)
    due = calendar.due(row["received_on"], deadline_of(row))
    met = issued <= due.due
    officers = await officer_names(row["id"])
    deadline = deadline_of(row)
    context = {
        "issuer": messages.REPORT["issuer"].format(district=district.name),
        "doc_number": "",
        "title": messages.REPORT["title"],
        "addressee": row["entrusting_office"],
        "intro": [
            messages.REPORT["intro"].format(
                letter_no=row["letter_no"],
                received=chinese_date(row["received_on"]),
                scheme=label(f"scheme.{row['scheme']}"),
                count=len(sections),
            )
        ],
        "households": sections,
        "closing": [
            messages.REPORT["deadline"].format(
                days=deadline.days,
                due=chinese_date(due.due),
                provisional=messages.REPORT["provisional"] if due.provisional else "",
                issued=chinese_date(issued),
                state=label("met") if met else label("late"),
            ),
            messages.REPORT["confidential"],
        ],
        "officers": "、".join(o["display_name"] or o["username"] for o in officers) or "—",
        "date_cn": chinese_date(issued),
    }
    content = await render_document(
        "housing_check/report.docx", context, pm=pm, district=district, jurisdiction=profile
    )
    digest = hashlib.sha256(content).hexdigest()
    async with transaction(HousingCheckReport._meta.db):
        await HousingCheckReport.insert(
            HousingCheckReport(
                entrustment=row["id"],
                content=content,
                sha256=digest,
                computation=computations,
                issued_on=issued,
                issued_by=actor.label,
            )
        )
        await HousingCheckEntrustment.update(
            {
                HousingCheckEntrustment.status: "reported",
                HousingCheckEntrustment.reported_on: issued,
                HousingCheckEntrustment.met_deadline: met,
                HousingCheckEntrustment.reported_by: actor.label,
            }
        ).where(HousingCheckEntrustment.id == row["id"])
        await record_audit(
            actor.label,
            "housing_check.report",
            district=district.slug,
            target=public_id,
            details={
                "sha256": digest,
                "issued_on": issued.isoformat(),
                "due_on": due.due.isoformat(),
                "met": met,
            },
        )
    fresh = await HousingCheckEntrustment.select().where(HousingCheckEntrustment.id == row["id"]).first()
    return {**summary(fresh, due_info(calendar, fresh, issued), len(sections)), "sha256": digest}


def _section(number: int, data: dict[str, Any]) -> dict[str, Any]:
    members = data["members"]
    applicant = members[0]["name"] if members else ""
    computation = data["computation"]
    return {
        "heading": messages.REPORT["heading"].format(
            n=_ordinal(number), name=applicant, no=data["household_no"]
        ),
        "members": [
            {
                "n": i,
                "name": m["name"],
                "relation": m["relation"],
                "id_number": mask_id(m["id_number"]),
            }
            for i, m in enumerate(members, start=1)
        ],
        "steps": [
            messages.REPORT["step"].format(
                date=chinese_date(s["date"]),
                kind=s["kind_label"],
                officer=s["officer"],
                result=s["result_label"],
                finding=s["finding"],
            )
            for s in data["steps"]
        ],
        "computation": computation["steps"],
        "conclusion": messages.REPORT["conclusion"].format(
            members=computation["members"],
            total=computation["total"],
            per_person=computation["per_person"],
            basis=label(f"area.{computation['basis']}"),
        ),
    }


async def report_document(district: Any, actor: Actor, public_id: str) -> tuple[bytes, str]:
    """The issued report (as issued); audited as a download of personal data."""
    row = await entrustment_for(actor, district, public_id)
    found = await HousingCheckReport.select().where(HousingCheckReport.entrustment == row["id"]).first()
    if found is None:
        raise NotFound("housing_check_report_missing")
    await record_audit(
        actor.label,
        "housing_check.download_report",
        district=district.slug,
        target=public_id,
        details={"sha256": found["sha256"]},
    )
    return bytes(found["content"]), row["letter_no"]
