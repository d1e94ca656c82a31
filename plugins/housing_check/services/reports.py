"""The 住房状况核查结果报告: one per entrustment, a section per household with its computation (the
context is built in documents.py); issuing it closes the entrustment and records whether the
10-working-day deadline was met."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from core import (
    Actor,
    BadRequest,
    Jurisdiction,
    NotFound,
    allocate_doc_number,
    district_today,
    office_prefix,
    record_audit,
    record_read,
    render_document,
    transaction,
    work_calendar,
)
from plugins.housing_check.documents import NUMBER_KIND, household_section, report_context
from plugins.housing_check.services.access import entrustment_for, require_open
from plugins.housing_check.services.entrustments import deadline_of, due_info, summary
from plugins.housing_check.services.households import household_data
from plugins.housing_check.services.officers import officer_names
from plugins.housing_check.tables import HousingCheckEntrustment, HousingCheckHousehold, HousingCheckReport


async def issue_report(
    pm: Any, district: Any, profile: Jurisdiction, actor: Actor, public_id: str, *, today: date | None = None
) -> dict[str, Any]:
    row = await entrustment_for(actor, district, public_id)
    require_open(row)
    issued = today or await district_today(district, profile)
    households = (
        await HousingCheckHousehold.select()
        .where(HousingCheckHousehold.entrustment == row["id"])
        .order_by(HousingCheckHousehold.position)
    )
    sections = []
    computations = {}
    for number, household in enumerate(households, start=1):
        data = await household_data(row, household, full_ids=False)
        if not data["checked"]:
            raise BadRequest("housing_check_household_unchecked", household=household["household_no"])
        if data["computation"] is None:
            raise BadRequest("validation_failed", detail=data["computation_problem"])
        computations[household["household_no"]] = data["computation"]
        sections.append(household_section(number, data))
    calendar = await work_calendar(profile.calendar)
    due = calendar.due(row["received_on"], deadline_of(row))
    met = issued <= due.due
    officers = await officer_names(row["id"])
    deadline = deadline_of(row)
    context = report_context(
        district, row, sections, officers, deadline=deadline, due=due, issued=issued, met=met
    )
    async with transaction(HousingCheckReport._meta.db):
        context["doc_number"] = await allocate_doc_number(
            district.id,
            NUMBER_KIND,
            public_id,
            office=office_prefix(district.name),
            year=issued.year,
            actor=actor.label,
        )
        content = await render_document(
            "housing_check/report.docx", context, pm=pm, district=district, jurisdiction=profile
        )
        digest = hashlib.sha256(content).hexdigest()
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
                "doc_number": context["doc_number"],
            },
        )
    fresh = await HousingCheckEntrustment.select().where(HousingCheckEntrustment.id == row["id"]).first()
    return {**summary(fresh, due_info(calendar, fresh, issued), len(sections)), "sha256": digest}


async def report_document(district: Any, actor: Actor, public_id: str) -> tuple[bytes, str]:
    """The issued report (as issued); audited as a download of personal data."""
    row = await entrustment_for(actor, district, public_id)
    found = await HousingCheckReport.select().where(HousingCheckReport.entrustment == row["id"]).first()
    if found is None:
        raise NotFound("housing_check_report_missing")
    await record_read(
        actor.label, "housing_check.download_report", district, public_id, sha256=found["sha256"]
    )
    return bytes(found["content"]), row["letter_no"]
