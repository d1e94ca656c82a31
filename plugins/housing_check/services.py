"""housing_check use cases: entrustments, officers, the check's steps, dwellings, the computation,
the report, and the deadline list. No Request objects; every write — and every read of personal
data — is audited (reads in their own transaction, writes in the write's)."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from core import (
    Actor,
    BadRequest,
    Conflict,
    Deadline,
    Invalid,
    Jurisdiction,
    NotFound,
    RoleGrant,
    Source,
    Staff,
    WorkCalendar,
    mask_id,
    parse_date,
    record_audit,
    today_in,
    transaction,
    work_calendar,
)
from plugins.housing_check.access import entrustment_for, is_supervisor, require_supervisor
from plugins.housing_check.intake import HouseholdIn, ParsedList, Problem
from plugins.housing_check.messages import label
from plugins.housing_check.rules import (
    AREA_TYPES,
    DWELLING_KINDS,
    SCHEMES,
    AreaRules,
    Computation,
    Dwelling,
    check_step,
    compute,
    conversion_factor,
    household_checked,
    parse_area,
)
from plugins.housing_check.tables import (
    HousingCheckAttachment,
    HousingCheckDwelling,
    HousingCheckEntrustment,
    HousingCheckHousehold,
    HousingCheckMember,
    HousingCheckOfficer,
    HousingCheckStep,
)

DEADLINE_KEY = "housing_check.report"
MAX_ATTACHMENT_MB = 20
MAX_BODY_BYTES = (MAX_ATTACHMENT_MB + 1) * 1024 * 1024  #: a request carrying one attachment and a form
FIELDS = {"entrusting_office": ("委托单位", 200), "letter_no": ("委托书编号", 100)}


# --- deadlines -------------------------------------------------------------------------------------


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
    from core import District

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


# --- entrustments ----------------------------------------------------------------------------------


def _check_letter(data: dict[str, Any], today: date) -> tuple[dict[str, Any], list[Problem]]:
    from core import message

    problems: list[Problem] = []
    clean: dict[str, Any] = {}

    def problem(column: str, code: str, **fmt: Any) -> None:
        problems.append(Problem(0, column, code, message(code, **fmt)))

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
        problems.append(Problem(0, "received_on", exc.code, exc.message))
    return clean, problems


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
    today = today or today_in(profile)
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


async def assign_officers(
    district: Any, actor: Actor, public_id: str, usernames: list[str]
) -> dict[str, Any]:
    """Assign staff of this district to the entrustment (supervisors only)."""
    from plugins.housing_check.access import get_entrustment

    require_supervisor(actor, district.id)
    row = await get_entrustment(district, public_id)
    _require_open(row)
    names = [u.strip() for u in usernames if u and u.strip()]
    if not names:
        raise BadRequest("housing_check_no_officers")
    ids: dict[str, int] = {}
    for username in names:
        staff = await Staff.select(Staff.id).where(Staff.username == username).first()
        eligible = staff is not None and await RoleGrant.exists().where(
            (RoleGrant.staff == staff["id"])
            & (RoleGrant.district == district.id)
            & (RoleGrant.role == "district_officer")
        )
        if not eligible:
            raise BadRequest("housing_check_officer_not_eligible", username=username)
        ids[username] = staff["id"]
    async with transaction(HousingCheckOfficer._meta.db):
        existing = {
            r["staff"]
            for r in await HousingCheckOfficer.select(HousingCheckOfficer.staff).where(
                HousingCheckOfficer.entrustment == row["id"]
            )
        }
        added = [u for u, sid in ids.items() if sid not in existing]
        for username in added:
            await HousingCheckOfficer.insert(
                HousingCheckOfficer(entrustment=row["id"], staff=ids[username], assigned_by=actor.label)
            )
        await record_audit(
            actor.label,
            "housing_check.assign",
            district=district.slug,
            target=public_id,
            details={"officers": added},
        )
    return {"entrustment": public_id, "officers": await officer_names(row["id"])}


async def unassign_officer(district: Any, actor: Actor, public_id: str, username: str) -> dict[str, Any]:
    """Take an officer off the entrustment (supervisors only, while it is open); audited."""
    from plugins.housing_check.access import get_entrustment

    row = await get_entrustment(district, public_id)
    require_supervisor(actor, district.id)
    _require_open(row)
    staff = await Staff.select(Staff.id).where(Staff.username == username).first()
    assigned = staff is not None and await HousingCheckOfficer.exists().where(
        (HousingCheckOfficer.entrustment == row["id"]) & (HousingCheckOfficer.staff == staff["id"])
    )
    if not assigned:
        raise NotFound("housing_check_unassign_unknown", username=username[:64])
    async with transaction(HousingCheckOfficer._meta.db):
        await HousingCheckOfficer.delete().where(
            (HousingCheckOfficer.entrustment == row["id"]) & (HousingCheckOfficer.staff == staff["id"])
        )
        await record_audit(
            actor.label,
            "housing_check.unassign",
            district=district.slug,
            target=public_id,
            details={"officer": username},
        )
    return {"entrustment": public_id, "officers": await officer_names(row["id"])}


async def officer_names(entrustment_id: int) -> list[dict[str, Any]]:
    rows = await HousingCheckOfficer.select(
        HousingCheckOfficer.staff.username.as_alias("username"),
        HousingCheckOfficer.staff.display_name.as_alias("display_name"),
    ).where(HousingCheckOfficer.entrustment == entrustment_id)
    return sorted(rows, key=lambda r: r["username"])


async def eligible_officers(district: Any) -> list[dict[str, Any]]:
    """Active staff holding ``district_officer`` in this district (who may be assigned)."""
    rows = await RoleGrant.select(
        RoleGrant.staff.username.as_alias("username"),
        RoleGrant.staff.display_name.as_alias("display_name"),
    ).where(
        (RoleGrant.district == district.id)
        & (RoleGrant.role == "district_officer")
        & (RoleGrant.staff.active.eq(True))
    )
    unique = {r["username"]: r for r in rows}
    return [unique[name] for name in sorted(unique)]


def _require_open(row: dict[str, Any]) -> None:
    if row["status"] != "open":
        raise Conflict("housing_check_closed")


async def _read(actor: Actor, district: Any, action: str, target: str, **details: Any) -> None:
    """A read of personal data: its own audit entry."""
    await record_audit(actor.label, action, district=district.slug, target=target, details=details)


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
        members = await _members(h["id"])
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
    await _read(actor, district, "housing_check.view_entrustment", public_id, households=len(items))
    return {
        **summary(row, due_info(calendar, row, today_in(profile)), len(items)),
        "officers": await officer_names(row["id"]),
        "household_list": items,
        "can_supervise": is_supervisor(actor, district.id),
    }


async def _members(household_id: int) -> list[dict[str, Any]]:
    return (
        await HousingCheckMember.select()
        .where(HousingCheckMember.household == household_id)
        .order_by(HousingCheckMember.position)
    )


async def _household(row: dict[str, Any], household_id: int) -> dict[str, Any]:
    found = (
        await HousingCheckHousehold.select()
        .where((HousingCheckHousehold.id == household_id) & (HousingCheckHousehold.entrustment == row["id"]))
        .first()
    )
    if found is None:
        raise NotFound("housing_check_household_not_found")
    return found


async def household_detail(
    district: Any, actor: Actor, public_id: str, household_id: int, *, full_ids: bool = True
) -> dict[str, Any]:
    """One household: members (full ID numbers for the officers doing the check), steps, dwellings and
    the computation. Audited as a read of personal data."""
    row = await entrustment_for(actor, district, public_id)
    household = await _household(row, household_id)
    data = await _household_data(row, household, full_ids=full_ids)
    basis = area_rules(row).basis.get(row["scheme"], "building")
    data["entrustment"] = {
        "entrustment": public_id,
        "entrusting_office": row["entrusting_office"],
        "letter_no": row["letter_no"],
        "scheme": row["scheme"],
        "scheme_label": label(f"scheme.{row['scheme']}"),
        "status": row["status"],
        "status_label": label(f"status.{row['status']}"),
        "area_basis": basis,
        "area_basis_label": label(f"area.{basis}"),
        "officers": await officer_names(row["id"]),
    }
    await _read(
        actor,
        district,
        "housing_check.view_household",
        f"{public_id}/{household_id}",
        household_no=household["household_no"],
    )
    return data


async def _household_data(
    row: dict[str, Any], household: dict[str, Any], *, full_ids: bool
) -> dict[str, Any]:
    members = await _members(household["id"])
    steps = (
        await HousingCheckStep.select(
            *HousingCheckStep.all_columns(), HousingCheckStep.officer.display_name.as_alias("officer_name")
        )
        .where(HousingCheckStep.household == household["id"])
        .order_by(HousingCheckStep.id)
    )
    attachments = await HousingCheckAttachment.select(
        HousingCheckAttachment.id,
        HousingCheckAttachment.step,
        HousingCheckAttachment.filename,
        HousingCheckAttachment.size,
        HousingCheckAttachment.sha256,
    ).where(HousingCheckAttachment.step.is_in([s["id"] for s in steps] or [-1]))
    dwellings = (
        await HousingCheckDwelling.select()
        .where(HousingCheckDwelling.household == household["id"])
        .order_by(HousingCheckDwelling.id)
    )
    computation: dict[str, Any] | None
    problem = ""
    try:
        computation = household_computation(row, members, dwellings).to_dict()
    except BadRequest as exc:
        computation, problem = None, exc.message
    return {
        "household": household["id"],
        "household_no": household["household_no"],
        "members": [
            {
                "name": m["name"],
                "id_number": m["id_number"] if full_ids else mask_id(m["id_number"]),
                "relation": m["relation"],
            }
            for m in members
        ],
        "steps": [
            {
                "step": s["id"],
                "kind": s["kind"],
                "kind_label": label(f"step.{s['kind']}"),
                "date": s["step_date"].isoformat(),
                "officer": s["officer_name"],
                "result": s["result"],
                "result_label": label(f"result.{s['result']}"),
                "finding": s["finding"],
                "attachments": [
                    {
                        "attachment": a["id"],
                        "filename": a["filename"],
                        "size": a["size"],
                        "sha256": a["sha256"],
                    }
                    for a in attachments
                    if a["step"] == s["id"]
                ],
            }
            for s in steps
        ],
        "checked": household_checked(steps),
        "dwellings": [
            {
                "dwelling": d["id"],
                "kind": d["kind"],
                "kind_label": label(f"dwelling.{d['kind']}"),
                "address": d["address"],
                "holder": d["holder"],
                "area": d["area"],
                "area_type": d["area_type"],
                "area_type_label": label(f"area.{d['area_type']}"),
                "source": d["source"],
            }
            for d in dwellings
        ],
        "computation": computation,
        "computation_problem": problem,
    }


def household_computation(
    row: dict[str, Any], members: list[dict[str, Any]], dwellings: list[dict[str, Any]]
) -> Computation:
    rules = area_rules(row)
    found = [
        Dwelling(
            d["kind"],
            d["address"],
            parse_area(d["area"]) or _bad_area(d["area"]),
            d["area_type"],
            d["source"],
            d["holder"],
        )
        for d in dwellings
    ]
    return compute(row["scheme"], found, len(members), rules)


def _bad_area(value: str) -> Any:
    raise BadRequest("housing_check_bad_area", value=value)


async def _officer_id(row: dict[str, Any], username: str | None, actor: Actor) -> int:
    """The officer who did a step: an assigned officer (default: the actor)."""
    assigned = {
        r["staff"]: r["username"]
        for r in await HousingCheckOfficer.select(
            HousingCheckOfficer.staff, HousingCheckOfficer.staff.username.as_alias("username")
        ).where(HousingCheckOfficer.entrustment == row["id"])
    }
    wanted = username or actor.username
    for sid, name in assigned.items():
        if name == wanted:
            return int(sid)
    raise BadRequest("housing_check_officer_not_assigned", username=wanted)


async def record_step(
    district: Any,
    profile: Jurisdiction,
    actor: Actor,
    public_id: str,
    household_id: int,
    *,
    kind: str,
    step_date: str,
    result: str,
    finding: str,
    officer: str | None = None,
    attachments: Sequence[Upload] = (),
) -> dict[str, Any]:
    """Record one step (with any files supporting it, in the same transaction: all or nothing)."""
    row = await entrustment_for(actor, district, public_id)
    _require_open(row)
    household = await _household(row, household_id)
    files = [check_upload(u) for u in attachments]
    when = parse_date(step_date)
    if when < row["received_on"]:
        raise BadRequest("housing_check_step_before_receipt", date=row["received_on"].isoformat())
    if when > today_in(profile):
        raise BadRequest("housing_check_step_future", date=step_date)
    if not (finding or "").strip():
        raise BadRequest("housing_check_field_blank", field="核查情况")
    earlier = await HousingCheckStep.select().where(HousingCheckStep.household == household["id"])
    check_step(kind, result, earlier)
    latest = max((s["step_date"] for s in earlier), default=None)
    if latest is not None and when < latest:
        raise BadRequest("housing_check_step_before_previous", date=latest.isoformat())
    officer_id = await _officer_id(row, officer, actor)
    async with transaction(HousingCheckStep._meta.db):
        rows = await HousingCheckStep.insert(
            HousingCheckStep(
                household=household["id"],
                kind=kind,
                step_date=when,
                officer=officer_id,
                result=result,
                finding=finding.strip(),
                recorded_by=actor.label,
            )
        ).returning(HousingCheckStep.id)
        await record_audit(
            actor.label,
            "housing_check.step",
            district=district.slug,
            target=f"{public_id}/{household_id}",
            details={"kind": kind, "result": result, "date": when.isoformat(), "step": rows[0]["id"]},
        )
        stored = [
            await _insert_attachment(district, actor, f"{public_id}/{household_id}", rows[0]["id"], f)
            for f in files
        ]
    return {"step": rows[0]["id"], "kind": kind, "result": result, "attachments": stored}


@dataclass(frozen=True)
class Upload:
    """A file as received (name, bytes, media type)."""

    filename: str
    content: bytes
    media_type: str = ""


def check_upload(upload: Upload) -> Upload:
    """Refuse an empty or oversized file; a safe stored name and media type."""
    if not upload.content:
        raise BadRequest("housing_check_attachment_empty")
    if len(upload.content) > MAX_ATTACHMENT_MB * 1024 * 1024:
        raise BadRequest("housing_check_attachment_too_large", max=MAX_ATTACHMENT_MB)
    name = (upload.filename or "attachment").replace("/", "_").replace("\\", "_")[:255]
    return Upload(name, upload.content, (upload.media_type or "application/octet-stream")[:100])


async def _insert_attachment(
    district: Any, actor: Actor, target: str, step_id: int, upload: Upload
) -> dict[str, Any]:
    """Store a checked file with its SHA-256 (inside the caller's transaction) and audit it."""
    digest = hashlib.sha256(upload.content).hexdigest()
    size = len(upload.content)
    rows = await HousingCheckAttachment.insert(
        HousingCheckAttachment(
            step=step_id,
            filename=upload.filename,
            media_type=upload.media_type,
            size=size,
            sha256=digest,
            content=upload.content,
            uploaded_by=actor.label,
        )
    ).returning(HousingCheckAttachment.id)
    await record_audit(
        actor.label,
        "housing_check.attach",
        district=district.slug,
        target=target,
        details={"step": step_id, "filename": upload.filename, "sha256": digest, "size": size},
    )
    return {"attachment": rows[0]["id"], "filename": upload.filename, "sha256": digest, "size": size}


async def add_attachments(
    district: Any, actor: Actor, public_id: str, household_id: int, step_id: int, files: Sequence[Upload]
) -> list[dict[str, Any]]:
    """Files for a step already recorded: every one checked first, then all stored or none."""
    row = await entrustment_for(actor, district, public_id)
    _require_open(row)
    await _household(row, household_id)
    if not await HousingCheckStep.exists().where(
        (HousingCheckStep.id == step_id) & (HousingCheckStep.household == household_id)
    ):
        raise NotFound("housing_check_step_not_found")
    if not files:
        raise BadRequest("housing_check_attachment_empty")
    checked = [check_upload(f) for f in files]
    async with transaction(HousingCheckAttachment._meta.db):
        return [
            await _insert_attachment(district, actor, f"{public_id}/{household_id}", step_id, f)
            for f in checked
        ]


async def get_attachment(
    district: Any, actor: Actor, public_id: str, household_id: int, attachment_id: int
) -> dict[str, Any]:
    row = await entrustment_for(actor, district, public_id)
    await _household(row, household_id)
    found = (
        await HousingCheckAttachment.select()
        .where(
            (HousingCheckAttachment.id == attachment_id)
            & (HousingCheckAttachment.step.household == household_id)
        )
        .first()
    )
    if found is None:
        raise NotFound("housing_check_attachment_not_found")
    await _read(
        actor,
        district,
        "housing_check.download_attachment",
        f"{public_id}/{household_id}",
        attachment=attachment_id,
        sha256=found["sha256"],
    )
    return found


async def add_dwelling(
    district: Any,
    actor: Actor,
    public_id: str,
    household_id: int,
    *,
    kind: str,
    address: str,
    area: str,
    area_type: str,
    source: str,
    holder: str = "",
    step: int | None = None,
) -> dict[str, Any]:
    row = await entrustment_for(actor, district, public_id)
    _require_open(row)
    await _household(row, household_id)
    if kind not in DWELLING_KINDS:
        raise BadRequest("housing_check_bad_dwelling_kind", value=kind)
    if area_type not in AREA_TYPES:
        raise BadRequest("housing_check_bad_area_type", value=area_type)
    exact = parse_area(str(area))
    if exact is None:
        raise BadRequest("housing_check_bad_area", value=area)
    for value, name, limit in (
        (address, "地址", 300),
        (source, "面积来源", 200),
        (holder or "", "权利人", 100),
    ):
        if name != "权利人" and not (value or "").strip():
            raise BadRequest("housing_check_field_blank", field=name)
        if len(value or "") > limit:
            raise BadRequest("housing_check_field_too_long", field=name, max=limit)
    conversion_factor(area_rules(row), row["scheme"], area_type, address)
    if step is not None and not await HousingCheckStep.exists().where(
        (HousingCheckStep.id == step) & (HousingCheckStep.household == household_id)
    ):
        raise NotFound("housing_check_step_not_found")
    async with transaction(HousingCheckDwelling._meta.db):
        rows = await HousingCheckDwelling.insert(
            HousingCheckDwelling(
                household=household_id,
                kind=kind,
                address=address.strip(),
                holder=(holder or "").strip(),
                area=str(exact),
                area_type=area_type,
                source=source.strip(),
                step=step,
                recorded_by=actor.label,
            )
        ).returning(HousingCheckDwelling.id)
        await record_audit(
            actor.label,
            "housing_check.dwelling",
            district=district.slug,
            target=f"{public_id}/{household_id}",
            details={"kind": kind, "area": str(exact), "area_type": area_type, "dwelling": rows[0]["id"]},
        )
    return {"dwelling": rows[0]["id"], "area": str(exact)}


async def withdraw_dwelling(
    district: Any, actor: Actor, public_id: str, household_id: int, dwelling_id: int, reason: str
) -> dict[str, Any]:
    """Remove a dwelling entered by mistake (while the entrustment is open), with a reason; the audit
    log keeps what was removed, who removed it and why."""
    row = await entrustment_for(actor, district, public_id)
    _require_open(row)
    await _household(row, household_id)
    reason = (reason or "").strip()
    if not reason:
        raise BadRequest("housing_check_reason_required")
    if len(reason) > 400:
        raise BadRequest("housing_check_field_too_long", field="删除理由", max=400)
    found = (
        await HousingCheckDwelling.select()
        .where((HousingCheckDwelling.id == dwelling_id) & (HousingCheckDwelling.household == household_id))
        .first()
    )
    if found is None:
        raise NotFound("housing_check_dwelling_not_found")
    async with transaction(HousingCheckDwelling._meta.db):
        await HousingCheckDwelling.delete().where(HousingCheckDwelling.id == dwelling_id)
        removed = {k: str(found[k]) for k in ("kind", "address", "holder", "area", "area_type", "source")}
        await record_audit(
            actor.label,
            "housing_check.withdraw_dwelling",
            district=district.slug,
            target=f"{public_id}/{household_id}",
            details={"dwelling": dwelling_id, "reason": reason, "removed": removed},
        )
    return {"dwelling": dwelling_id, "withdrawn": True}
