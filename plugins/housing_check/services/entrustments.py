"""Entrustments (委托): the letter with its households, its deadline and how it stands today, the list
and the cron job's deadline list. No Request objects; every write — and every read of personal data —
is audited (reads in their own transaction, writes in the write's)."""

from __future__ import annotations

import json
import secrets
from datetime import date
from typing import Any

from core import (
    Actor,
    BadRequest,
    Conflict,
    Deadline,
    District,
    Invalid,
    Jurisdiction,
    NotFound,
    RowProblem,
    Source,
    WorkCalendar,
    district_today,
    mask_id,
    message,
    parse_date,
    record_audit,
    record_read,
    table_xlsx,
    template_xlsx,
    today_in,
    transaction,
    work_calendar,
)
from plugins.housing_check.messages import ENTRUSTMENT_HEADINGS, EXPORT_WORDS, HOUSEHOLD_COLUMNS, label
from plugins.housing_check.rules import SCHEMES, AreaRules, household_checked
from plugins.housing_check.rules.intake import ParsedList
from plugins.housing_check.schemas import HouseholdIn
from plugins.housing_check.services.access import entrustment_for, is_supervisor, require_supervisor
from plugins.housing_check.services.officers import officer_names
from plugins.housing_check.tables import (
    HousingCheckEntrustment,
    HousingCheckHousehold,
    HousingCheckMember,
    HousingCheckOfficer,
    HousingCheckStep,
)

DEADLINE_KEY = "housing_check.report"
FIELDS = {"entrusting_office": ("委托单位", 200), "letter_no": ("委托书编号", 100)}


def snapshot(row: dict[str, Any]) -> dict[str, Any]:
    """The profile values the entrustment was opened under (a JSON column: text on some drivers)."""
    value = row.get("jurisdiction") or {}
    return json.loads(value) if isinstance(value, str) else dict(value)


def area_rules(row: dict[str, Any]) -> AreaRules:
    """The area type counted and any conversion, as snapshotted when the letter was recorded."""
    return AreaRules.from_dict(snapshot(row).get("area") or {})


def deadline_of(row: dict[str, Any]) -> Deadline:
    data = snapshot(row).get("deadline") or {"days": 10, "unit": "working"}
    return Deadline(int(data["days"]), data["unit"], Source(data.get("article", "")))


def due_info(calendar: WorkCalendar, row: dict[str, Any], today: date) -> dict[str, Any]:
    """The due date (recomputed with the schedules loaded now), and how it stands today."""
    due = calendar.due(row["received_on"], deadline_of(row))
    info: dict[str, Any] = {
        "due_on": due.due.isoformat(),
        "provisional": due.provisional,
        "provisional_years": list(due.provisional_years),
        "due_note": label("provisional", years="、".join(map(str, due.provisional_years)))
        if due.provisional
        else "",
    }
    if row["status"] == "reported":
        info.update(
            days_left=None, overdue=False, state=label("met") if row["met_deadline"] else label("late")
        )
    elif today > due.due:
        late = calendar.workdays_between(due.due, today)
        info.update(days_left=-late, overdue=True, state=label("overdue", days=late))
    else:
        left = calendar.workdays_between(today, due.due)
        info.update(
            days_left=left,
            overdue=False,
            state=label("due_today") if left == 0 else label("days_left", days=left),
        )
    return info


def summary(row: dict[str, Any], due: dict[str, Any], households: int) -> dict[str, Any]:
    """An entrustment without personal data (safe for lists and the cron job)."""
    return {
        "entrustment": row["public_id"],
        "entrusting_office": row["entrusting_office"],
        "scheme": row["scheme"],
        "scheme_label": label(f"scheme.{row['scheme']}"),
        "letter_no": row["letter_no"],
        "received_on": row["received_on"].isoformat(),
        "status": row["status"],
        "status_label": label(f"status.{row['status']}"),
        "households": households,
        "reported_on": row["reported_on"].isoformat() if row["reported_on"] else None,
        "met_deadline": row["met_deadline"],
        **due,
    }


async def household_counts(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = await HousingCheckHousehold.select(HousingCheckHousehold.entrustment).where(
        HousingCheckHousehold.entrustment.is_in(ids)
    )
    counts: dict[int, int] = {}
    for r in rows:
        counts[r["entrustment"]] = counts.get(r["entrustment"], 0) + 1
    return counts


async def list_entrustments(
    district: Any, actor: Actor, profile: Jurisdiction, *, today: date | None = None, open_only: bool = False
) -> list[dict[str, Any]]:
    """What this actor may see (supervisors: the district's; officers: their own), by due date."""
    query = HousingCheckEntrustment.select().where(HousingCheckEntrustment.district == district.id)
    if open_only:
        query = query.where(HousingCheckEntrustment.status == "open")
    rows = await query
    if not is_supervisor(actor, district.id):
        mine = await HousingCheckOfficer.select(HousingCheckOfficer.entrustment).where(
            HousingCheckOfficer.staff == actor.staff_id
        )
        ids = {r["entrustment"] for r in mine}
        rows = [r for r in rows if r["id"] in ids]
    return await _summaries(rows, profile, today)


async def _summaries(
    rows: list[dict[str, Any]], profile: Jurisdiction, today: date | None
) -> list[dict[str, Any]]:
    calendar = await work_calendar(profile.calendar)
    today = today or today_in(profile)
    counts = await household_counts([r["id"] for r in rows])
    items = [summary(r, due_info(calendar, r, today), counts.get(r["id"], 0)) for r in rows]
    items.sort(key=lambda i: (i["status"] != "open", i["due_on"], i["entrustment"]))
    return items


async def due_soon(
    days: int, today: date, profile_for: Any, district_slug: str | None = None
) -> list[dict[str, Any]]:
    """Open entrustments with at most ``days`` working days left, or overdue (the cron job)."""
    query = HousingCheckEntrustment.select(
        *HousingCheckEntrustment.all_columns(),
        HousingCheckEntrustment.district.slug.as_alias("district_slug"),
        HousingCheckEntrustment.district.jurisdiction_code.as_alias("jurisdiction_code"),
    ).where(HousingCheckEntrustment.status == "open")
    if district_slug:
        if not await District.exists().where(District.slug == district_slug):
            raise NotFound("district_not_found")
        query = query.where(HousingCheckEntrustment.district.slug == district_slug)
    result = []
    for row in await query:
        profile = profile_for(row["jurisdiction_code"])
        calendar = await work_calendar(profile.calendar)
        counts = await household_counts([row["id"]])
        item = summary(row, due_info(calendar, row, today), counts.get(row["id"], 0))
        if item["days_left"] <= days:
            result.append({"district": row["district_slug"], **item})
    result.sort(key=lambda i: (i["due_on"], i["district"], i["entrustment"]))
    return result


def _check_letter(data: dict[str, Any], today: date) -> tuple[dict[str, Any], list[RowProblem]]:
    problems: list[RowProblem] = []
    clean: dict[str, Any] = {}

    def problem(column: str, code: str, **fmt: Any) -> None:
        problems.append(RowProblem(0, column, code, message(code, **fmt)))

    for key, (name, limit) in FIELDS.items():
        value = str(data.get(key) or "").strip()
        if not value:
            problem(key, "housing_check_field_blank", field=name)
        elif len(value) > limit:
            problem(key, "housing_check_field_too_long", field=name, max=limit)
        clean[key] = value
    scheme = str(data.get("scheme") or "").strip()
    if scheme not in SCHEMES:
        problem("scheme", "housing_check_bad_scheme", value=scheme)
    clean["scheme"] = scheme
    received = str(data.get("received_on") or "").strip()
    try:
        clean["received_on"] = parse_date(received)
        if clean["received_on"] > today:
            problem("received_on", "housing_check_received_future", date=received)
    except BadRequest as exc:
        problems.append(RowProblem(0, "received_on", exc.code, exc.message))
    return clean, problems


async def letters_numbered(district: Any, letter_no: str) -> list[dict[str, Any]]:
    """The district's entrustments whose letter bears ``letter_no`` (a second one is most likely the
    same letter registered twice: the console warns before creating it)."""
    number = letter_no.strip()
    if not number:
        return []
    return list(
        await HousingCheckEntrustment.select(
            HousingCheckEntrustment.public_id,
            HousingCheckEntrustment.entrusting_office,
            HousingCheckEntrustment.received_on,
            HousingCheckEntrustment.status,
        )
        .where(
            (HousingCheckEntrustment.district == district.id) & (HousingCheckEntrustment.letter_no == number)
        )
        .order_by(HousingCheckEntrustment.id)
    )


async def create_entrustment(
    district: Any,
    profile: Jurisdiction,
    actor: Actor,
    letter: dict[str, Any],
    parsed: ParsedList,
    *,
    source_filename: str = "",
    source_sha256: str = "",
    today: date | None = None,
) -> dict[str, Any]:
    """Record a letter with its households: everything, or nothing (every problem listed)."""
    require_supervisor(actor, district.id)
    today = today or await district_today(district, profile)
    clean, problems = _check_letter(letter, today)
    problems = problems + parsed.problems
    if not problems and not parsed.households:
        raise BadRequest("housing_check_no_households")
    if problems:
        details = [p.to_dict() for p in problems]
        raise Invalid("housing_check_invalid", count=len(details), details=details)
    deadline = profile.deadline(DEADLINE_KEY)
    snapshot = {
        "code": profile.code,
        "deadline": {"days": deadline.days, "unit": deadline.unit, "article": deadline.source.article},
        "area": AreaRules.from_profile(profile).to_dict(),
    }
    public_id = f"hc{clean['received_on']:%Y}-{secrets.token_hex(4)}"
    engine = HousingCheckEntrustment._meta.db
    async with transaction(engine):
        if await HousingCheckEntrustment.exists().where(
            (HousingCheckEntrustment.district == district.id)
            & (HousingCheckEntrustment.letter_no == clean["letter_no"])
            & (HousingCheckEntrustment.entrusting_office == clean["entrusting_office"])
        ):
            raise Conflict("housing_check_duplicate_letter", letter_no=clean["letter_no"])
        rows = await HousingCheckEntrustment.insert(
            HousingCheckEntrustment(
                district=district.id,
                public_id=public_id,
                entrusting_office=clean["entrusting_office"],
                scheme=clean["scheme"],
                letter_no=clean["letter_no"],
                received_on=clean["received_on"],
                jurisdiction=snapshot,
                source_filename=source_filename[:255],
                source_sha256=source_sha256,
                created_by=actor.label,
            )
        ).returning(HousingCheckEntrustment.id)
        entrustment_id = rows[0]["id"]
        for position, household in enumerate(parsed.households, start=1):
            await _insert_household(entrustment_id, position, household)
        await record_audit(
            actor.label,
            "housing_check.entrustment_create",
            district=district.slug,
            target=public_id,
            details={
                "letter_no": clean["letter_no"],
                "households": len(parsed.households),
                "members": sum(len(h.members) for h in parsed.households),
                "source_sha256": source_sha256,
            },
        )
    calendar = await work_calendar(profile.calendar)
    row = await HousingCheckEntrustment.select().where(HousingCheckEntrustment.id == entrustment_id).first()
    return summary(row, due_info(calendar, row, today), len(parsed.households))


async def _insert_household(entrustment_id: int, position: int, household: HouseholdIn) -> None:
    rows = await HousingCheckHousehold.insert(
        HousingCheckHousehold(
            entrustment=entrustment_id, position=position, household_no=household.household_no
        )
    ).returning(HousingCheckHousehold.id)
    for number, member in enumerate(household.members, start=1):
        await HousingCheckMember.insert(
            HousingCheckMember(
                household=rows[0]["id"],
                position=number,
                name=member.name,
                id_number=member.id_number,
                relation=member.relation,
            )
        )


async def entrustment_detail(
    district: Any, profile: Jurisdiction, actor: Actor, public_id: str
) -> dict[str, Any]:
    """The letter with its households (ID numbers masked); audited as a read of personal data."""
    row = await entrustment_for(actor, district, public_id)
    households = (
        await HousingCheckHousehold.select()
        .where(HousingCheckHousehold.entrustment == row["id"])
        .order_by(HousingCheckHousehold.position)
    )
    items = []
    for h in households:
        members = await members_of(h["id"])
        steps = await HousingCheckStep.select(HousingCheckStep.result).where(
            HousingCheckStep.household == h["id"]
        )
        applicant = members[0] if members else {"name": "", "id_number": ""}
        items.append(
            {
                "household": h["id"],
                "household_no": h["household_no"],
                "applicant": applicant["name"],
                "applicant_id": mask_id(applicant["id_number"]),
                "members": len(members),
                "checked": household_checked(steps),
            }
        )
    calendar = await work_calendar(profile.calendar)
    await record_read(
        actor.label, "housing_check.view_entrustment", district, public_id, households=len(items)
    )
    return {
        **summary(row, due_info(calendar, row, today_in(profile)), len(items)),
        "officers": await officer_names(row["id"]),
        "household_list": items,
        "can_supervise": is_supervisor(actor, district.id),
    }


async def members_of(household_id: int) -> list[dict[str, Any]]:
    return (
        await HousingCheckMember.select()
        .where(HousingCheckMember.household == household_id)
        .order_by(HousingCheckMember.position)
    )


async def entrustments_xlsx(district: Any, actor: Actor, profile: Jurisdiction) -> tuple[bytes, str]:
    """The entrustments this actor may see, as an XLSX (the console's lists, open and closed)."""
    items = await list_entrustments(district, actor, profile)
    content = table_xlsx(
        ENTRUSTMENT_HEADINGS,
        (
            (
                i["entrustment"],
                i["entrusting_office"],
                i["scheme_label"],
                i["letter_no"],
                i["received_on"],
                i["households"],
                i["due_on"],
                i["state"],
                i.get("reported_on") or "",
                i["status_label"],
            )
            for i in items
        ),
        sheet=EXPORT_WORDS["entrustments_sheet"],
    )
    return content, EXPORT_WORDS["entrustments_file"].format(district=district.name)


def households_template() -> tuple[bytes, str]:
    """The fill-in template of the list of households (核查对象名单)."""
    content = template_xlsx(
        HOUSEHOLD_COLUMNS, sheet=EXPORT_WORDS["households_sheet"], notes=[EXPORT_WORDS["households_note"]]
    )
    return content, EXPORT_WORDS["households_file"]
