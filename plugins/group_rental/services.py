"""Group-rental use cases: cases, inspections and determinations, photos, rectification orders,
service, re-inspection and the overdue list. No Request objects here; every staff write is audited
in the same transaction as the write."""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core import (
    BadRequest,
    Conflict,
    Deadline,
    DistrictInfo,
    Estate,
    NotFound,
    Source,
    record_audit,
    today_in,
    transaction,
)
from core.runtime import current
from plugins.group_rental.messages import EARLIER, OFFICES
from plugins.group_rental.rules import FieldError, GroupRentalRules, assess, parse_flat, snapshot
from plugins.group_rental.tables import (
    GroupRentalCase,
    GroupRentalEscalation,
    GroupRentalInspection,
    GroupRentalOrder,
    GroupRentalPhoto,
    GroupRentalService,
)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
CLOSED = ("no_violation", "rectified", "escalated")


def profile_of(code: str) -> Any:
    return current().jurisdictions.get(code)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


# --- input helpers --------------------------------------------------------------------------------
CASE_FIELD = "group_rental_bad_case_field"


def _text(data: dict[str, Any], key: str, max_length: int, *, required: bool = True) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value.strip()) > max_length:
        raise FieldError(key, "text", max=max_length, code=CASE_FIELD)
    return value.strip()


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise FieldError("$", "object", code=CASE_FIELD)
    return data


@contextlib.asynccontextmanager
async def racing(code: str, **fmt: Any) -> AsyncIterator[None]:
    """Turn a unique-key clash (another officer did the same thing a moment earlier) into a 409."""
    import sqlite3

    import asyncpg

    try:
        yield
    except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
        raise Conflict(code, **fmt) from None


def only_fields(data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse a field the request does not know (a typo must not be silently ignored)."""
    for key in data:
        if key not in allowed:
            raise FieldError(key, "unknown", code=CASE_FIELD)


def _date(value: Any, key: str, today: date) -> date:
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None or parsed > today:
        raise FieldError(key, "date")
    return parsed


def _flag(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise FieldError(key, "bool")
    return value


# --- cases ----------------------------------------------------------------------------------------
async def open_case(district: DistrictInfo, data: dict[str, Any], actor: str) -> dict[str, Any]:
    """Open a case for a flat after a complaint or an inspection (audited)."""
    only_fields(_object(data), ("address", "source", "complaint", "party", "estate"))
    address = _text(data, "address", 300)
    source = data.get("source", "complaint")
    if source not in ("complaint", "inspection"):
        raise FieldError("source", "source", code=CASE_FIELD)
    complaint = _text(data, "complaint", 2000, required=False)
    party = _text(data, "party", 200, required=False)
    estate = _text(data, "estate", 64, required=False)
    if estate and not await Estate.exists().where((Estate.district == district.id) & (Estate.code == estate)):
        raise FieldError("estate", "estate", code=CASE_FIELD)
    profile = profile_of(district.jurisdiction_code)
    year = today_in(profile).year
    public_id = f"QZ{year}-{secrets.token_hex(3).upper()}"
    async with transaction(GroupRentalCase._meta.db):
        await GroupRentalCase.insert(
            GroupRentalCase(
                district=district.id,
                public_id=public_id,
                address=address,
                estate=estate,
                source=source,
                complaint=complaint,
                party=party,
                status="open",
                jurisdiction_code=profile.code,
                rules_snapshot=json.dumps(snapshot(profile), ensure_ascii=False),
                created_by=actor,
            )
        )
        await record_audit(
            actor,
            "group_rental.case_open",
            district=district.slug,
            target=public_id,
            details={"address": address, "source": source},
        )
    return await case_summary(district, public_id)


async def get_case(district: DistrictInfo, public_id: str) -> dict[str, Any]:
    """The case, or 404 (also for another district's case)."""
    row = (
        await GroupRentalCase.select()
        .where((GroupRentalCase.public_id == public_id) & (GroupRentalCase.district == district.id))
        .first()
    )
    if row is None:
        raise NotFound("group_rental_case_not_found", case=public_id)
    return row


async def list_cases(district: DistrictInfo) -> list[dict[str, Any]]:
    rows = (
        await GroupRentalCase.select()
        .where(GroupRentalCase.district == district.id)
        .order_by(GroupRentalCase.id, ascending=False)
    )
    return [_case_brief(r) for r in rows]


def _case_brief(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "case": row["public_id"],
        "address": row["address"],
        "estate": row["estate"],
        "source": row["source"],
        "party": row["party"],
        "status": row["status"],
        "jurisdiction": row["jurisdiction_code"],
        "created_at": row["created_at"].isoformat() if row["created_at"] else None,
    }


def rules_for_case(case: dict[str, Any]) -> GroupRentalRules:
    """The rules the case was opened under (its snapshot), never the profile as it is today."""
    stored = _json(case["rules_snapshot"]) or {}
    if not stored:  # a case stored without a snapshot: the profile is all there is
        return GroupRentalRules.from_profile(profile_of(case["jurisdiction_code"]))
    return GroupRentalRules.from_snapshot(case["jurisdiction_code"], stored)


async def read_audit(actor: str, district: DistrictInfo, action: str, target: str, **details: Any) -> None:
    """A read of personal data (the flat's occupants, the complainant, photos, documents): its own entry."""
    await record_audit(actor, action, district=district.slug, target=target, details=details)


async def view_case(district: DistrictInfo, public_id: str, actor: str) -> dict[str, Any]:
    """The case as :func:`case_summary`; audited as a read of personal data."""
    summary = await case_summary(district, public_id)
    await read_audit(actor, district, "group_rental.view_case", public_id)
    return summary


async def case_summary(district: DistrictInfo, public_id: str) -> dict[str, Any]:
    """Everything on file for the case (not audited: callers showing it to a person use :func:`view_case`)."""
    case = await get_case(district, public_id)
    inspections = (
        await GroupRentalInspection.select()
        .where(GroupRentalInspection.case == case["id"])
        .order_by(GroupRentalInspection.id)
    )
    orders = (
        await GroupRentalOrder.select()
        .where(GroupRentalOrder.case == case["id"])
        .order_by(GroupRentalOrder.number)
    )
    services = {
        s["order"]: s
        for s in await GroupRentalService.select().where(
            GroupRentalService.order.is_in([o["id"] for o in orders] or [-1])
        )
    }
    photos = (
        await GroupRentalPhoto.select(
            GroupRentalPhoto.sha256,
            GroupRentalPhoto.purpose,
            GroupRentalPhoto.filename,
            GroupRentalPhoto.caption,
            GroupRentalPhoto.size,
            GroupRentalPhoto.uploaded_at,
        )
        .where(GroupRentalPhoto.case == case["id"])
        .order_by(GroupRentalPhoto.id)
    )
    escalation = (
        await GroupRentalEscalation.select(
            GroupRentalEscalation.recipient,
            GroupRentalEscalation.package_sha256,
            GroupRentalEscalation.created_at,
            GroupRentalEscalation.created_by,
        )
        .where(GroupRentalEscalation.case == case["id"])
        .first()
    )
    rules = rules_for_case(case)
    return {
        **_case_brief(case),
        "complaint": case["complaint"],
        "rules": {
            "profile": case["jurisdiction_code"],
            "name": (_json(case["rules_snapshot"]) or {}).get("name", ""),
            "rectification_days": rules.rectification_days,
            "rectification_unit": rules.rectification_unit,
            "rectification_grade": rules.grades.get("rectification_period", ""),
        },
        "escalation": (
            {
                "recipient": escalation["recipient"],
                "sha256": escalation["package_sha256"],
                "created_at": escalation["created_at"].isoformat(),
                "created_by": escalation["created_by"],
            }
            if escalation
            else None
        ),
        "inspections": [_inspection_dict(i) for i in inspections],
        "orders": [_order_dict(o, services.get(o["id"])) for o in orders],
        "photos": [
            {
                "sha256": p["sha256"],
                "purpose": p["purpose"],
                "filename": p["filename"],
                "caption": p["caption"],
                "size": p["size"],
            }
            for p in photos
        ],
    }


def _inspection_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "inspected_on": row["inspected_on"].isoformat(),
        "inspectors": _json(row["inspectors"]),
        "police_present": row["police_present"],
        "committee_present": row["committee_present"],
        "property_present": row["property_present"],
        "flat": _json(row["flat"]),
        "determination": _json(row["determination"]),
        "group_rental": row["group_rental"],
        "notes": row["notes"],
        "recorded_by": row["recorded_by"],
    }


def _order_dict(row: dict[str, Any], service: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "number": row["number"],
        "doc_number": row["doc_number"],
        "status": row["status"],
        "addressee": row["addressee"],
        "issuing_office": row["issuing_office"],
        "issued_on": row["issued_on"].isoformat(),
        "deadline": row["deadline"].isoformat(),
        "deadline_provisional": row["deadline_provisional"],
        "findings": _json(row["findings"]),
        "legal_basis": _json(row["legal_basis"]),
        "superseded_by": row["superseded_by"],
        "docx_sha256": row["docx_sha256"],
        "service": _service_dict(service) if service else None,
    }


def _service_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "method": row["method"],
        "served_at": row["served_at"].isoformat(),
        "received_by": row["received_by"],
        "served_by": row["served_by"],
        "photos": _json(row["photos"]),
        "note": row["note"],
        "recorded_by": row["recorded_by"],
    }


# --- inspections ----------------------------------------------------------------------------------
INSPECTION_FIELDS = {
    "inspected_on",
    "inspectors",
    "police_present",
    "committee_present",
    "property_present",
    "notes",
    "flat",
}


def parse_inspection(data: Any, today: date) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise FieldError("$", "object")
    for key in data:
        if key not in INSPECTION_FIELDS:
            raise FieldError(key, "unknown")
    if "inspected_on" not in data:
        raise FieldError("inspected_on", "missing")
    inspected_on = _date(data["inspected_on"], "inspected_on", today)
    inspectors = data.get("inspectors")
    if (
        not isinstance(inspectors, list)
        or not inspectors
        or not all(isinstance(n, str) and n.strip() and len(n) <= 50 for n in inspectors)
    ):
        raise FieldError("inspectors", "list")
    notes = data.get("notes", "")
    if not isinstance(notes, str) or len(notes) > 2000:
        raise FieldError("notes", "text", max=2000)
    if "flat" not in data:
        raise FieldError("flat", "missing")
    return {
        "inspected_on": inspected_on,
        "inspectors": [n.strip() for n in inspectors],
        "police_present": _flag(data, "police_present"),
        "committee_present": _flag(data, "committee_present"),
        "property_present": _flag(data, "property_present"),
        "notes": notes.strip(),
        "flat": parse_flat(data["flat"], prefix="flat."),
    }


async def record_inspection(
    district: DistrictInfo, public_id: str, data: Any, actor: str, *, today: date | None = None
) -> dict[str, Any]:
    """Record an inspection and its determination. Before an order is served it is the joint
    determination (认定); after service it is the re-inspection (复查): rectified closes the case."""
    case = await get_case(district, public_id)
    profile = profile_of(case["jurisdiction_code"])
    parsed = parse_inspection(data, today or today_in(profile))
    if case["status"] in CLOSED:
        raise Conflict("group_rental_case_closed", status=case["status"])
    if case["status"] in ("served", "unrectified"):
        kind = "reinspection"
    elif case["status"] == "ordered":
        raise Conflict("group_rental_reinspect_not_served")
    else:
        kind = "initial"
    determination = assess(parsed["flat"], rules_for_case(case))
    if kind == "initial":
        status = "determined" if determination.group_rental else "no_violation"
    else:
        status = "unrectified" if determination.group_rental else "rectified"
    async with transaction(GroupRentalInspection._meta.db):
        inserted = await GroupRentalInspection.insert(
            GroupRentalInspection(
                case=case["id"],
                kind=kind,
                inspected_on=parsed["inspected_on"],
                inspectors=json.dumps(parsed["inspectors"], ensure_ascii=False),
                police_present=parsed["police_present"],
                committee_present=parsed["committee_present"],
                property_present=parsed["property_present"],
                flat=json.dumps(parsed["flat"].to_dict(), ensure_ascii=False),
                determination=json.dumps(determination.to_dict(), ensure_ascii=False),
                group_rental=determination.group_rental,
                notes=parsed["notes"],
                recorded_by=actor,
            )
        )
        await GroupRentalCase.update({GroupRentalCase.status: status}).where(GroupRentalCase.id == case["id"])
        await record_audit(
            actor,
            f"group_rental.{kind}",
            district=district.slug,
            target=public_id,
            details={
                "group_rental": determination.group_rental,
                "criteria": determination.criteria,
                "status": status,
            },
        )
    return {
        "case": public_id,
        "inspection": inserted[0]["id"],
        "kind": kind,
        "status": status,
        "determination": determination.to_dict(),
    }


async def latest_inspection(case_id: int, kind: str | None = None) -> dict[str, Any] | None:
    query = GroupRentalInspection.select().where(GroupRentalInspection.case == case_id)
    if kind:
        query = query.where(GroupRentalInspection.kind == kind)
    return await query.order_by(GroupRentalInspection.id, ascending=False).first()


# --- photos ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Upload:
    """A photograph as received (the API takes one, a console form several)."""

    content: bytes
    filename: str


def photo_type(content: bytes, filename: str) -> str:
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    raise BadRequest("group_rental_photo_type", name=filename)


def check_photos(uploads: list[Upload]) -> list[tuple[Upload, str, str]]:
    """Each upload with its content type and SHA-256, or the first problem (before anything is written)."""
    checked = []
    for upload in uploads:
        if not upload.content:
            raise BadRequest("group_rental_photo_empty")
        if len(upload.content) > MAX_PHOTO_BYTES:
            raise BadRequest("group_rental_photo_too_large", max_mb=MAX_PHOTO_BYTES // (1024 * 1024))
        content_type = photo_type(upload.content, upload.filename)
        checked.append((upload, content_type, hashlib.sha256(upload.content).hexdigest()))
    return checked


async def _keep_photos(
    district: DistrictInfo,
    case: dict[str, Any],
    checked: list[tuple[Upload, str, str]],
    actor: str,
    purpose: str,
    caption: str,
) -> list[dict[str, Any]]:
    """Store checked photos inside the caller's transaction (one audit entry each; a file already on
    the case is kept once)."""
    kept = []
    for upload, content_type, digest in checked:
        exists = await GroupRentalPhoto.exists().where(
            (GroupRentalPhoto.case == case["id"]) & (GroupRentalPhoto.sha256 == digest)
        )
        if not exists:
            await GroupRentalPhoto.insert(
                GroupRentalPhoto(
                    case=case["id"],
                    purpose=purpose,
                    filename=(upload.filename or "photo")[:255],
                    content_type=content_type,
                    sha256=digest,
                    size=len(upload.content),
                    content=upload.content,
                    caption=caption.strip()[:200],
                    uploaded_by=actor,
                )
            )
            await record_audit(
                actor,
                "group_rental.photo",
                district=district.slug,
                target=case["public_id"],
                details={"sha256": digest, "purpose": purpose, "size": len(upload.content)},
            )
        kept.append({"sha256": digest, "purpose": purpose, "size": len(upload.content), "duplicate": exists})
    return kept


async def add_photos(
    district: DistrictInfo,
    public_id: str,
    uploads: list[Upload],
    actor: str,
    *,
    purpose: str = "inspection",
    caption: str = "",
) -> list[dict[str, Any]]:
    """Keep photographs as evidence, all or none; a SHA-256 identifies each (the same file twice is
    kept once)."""
    case = await get_case(district, public_id)
    if case["status"] in CLOSED:
        raise Conflict("group_rental_case_closed", status=case["status"])
    if purpose not in ("inspection", "posting"):
        raise FieldError("purpose", "purpose", code=CASE_FIELD)
    if not uploads:
        raise BadRequest("group_rental_photo_empty")
    checked = check_photos(uploads)
    async with racing("group_rental_photo_race"), transaction(GroupRentalPhoto._meta.db):
        return await _keep_photos(district, case, checked, actor, purpose, caption)


async def photo_content(district: DistrictInfo, public_id: str, sha256: str, actor: str) -> tuple[bytes, str]:
    """A photograph's bytes and type; audited as a read of personal data."""
    case = await get_case(district, public_id)
    photo = (
        await GroupRentalPhoto.select(GroupRentalPhoto.content, GroupRentalPhoto.content_type)
        .where((GroupRentalPhoto.case == case["id"]) & (GroupRentalPhoto.sha256 == sha256))
        .first()
    )
    if photo is None:
        raise NotFound("group_rental_photo_unknown", sha256=sha256[:64])
    await read_audit(actor, district, "group_rental.download_photo", public_id, sha256=sha256)
    return bytes(photo["content"]), photo["content_type"]


# --- orders ---------------------------------------------------------------------------------------
def legal_basis(determination: dict[str, Any]) -> list[str]:
    """The distinct articles of the findings, in order of first appearance."""
    seen: list[str] = []
    for finding in determination.get("findings", []):
        article = finding.get("article", "")
        if article and article not in seen:
            seen.append(article)
    return seen


async def _deadline(profile: Any, rules: GroupRentalRules, issued_on: date) -> tuple[date, bool]:
    from core import work_calendar

    deadline = Deadline(
        rules.rectification_days,
        "working" if rules.rectification_unit == "working" else "calendar",
        Source(rules.article("rectification_period")),
    )
    due = (await work_calendar(profile.calendar)).due(issued_on, deadline)
    return due.due, due.provisional


async def _active_order(case_id: int) -> dict[str, Any] | None:
    return (
        await GroupRentalOrder.select()
        .where((GroupRentalOrder.case == case_id) & GroupRentalOrder.status.is_in(["draft", "served"]))
        .first()
    )


def order_number(value: str) -> int:
    """An order's number from a URL; one that cannot exist is the plugin's own 404."""
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        raise NotFound("group_rental_order_not_found", number=value[:12])
    return int(value)


async def get_order(case: dict[str, Any], number: int) -> dict[str, Any]:
    row = (
        await GroupRentalOrder.select()
        .where((GroupRentalOrder.case == case["id"]) & (GroupRentalOrder.number == number))
        .first()
    )
    if row is None:
        raise NotFound("group_rental_order_not_found", number=number)
    return row


ORDER_FIELDS = ("addressee", "issuing_office", "doc_number")


def default_office(district: DistrictInfo) -> str:
    return OFFICES["office"].format(district=district.name)


def _order_fields(data: dict[str, Any], district: DistrictInfo, case: dict[str, Any]) -> dict[str, str]:
    only_fields(_object(data), ORDER_FIELDS)
    addressee = _text(data, "addressee", 200, required=not case["party"]) or case["party"]
    office = _text(data, "issuing_office", 200, required=False) or default_office(district)
    doc_number = _text(data, "doc_number", 64, required=False)
    return {"addressee": addressee, "issuing_office": office, "doc_number": doc_number}


async def issue_order(
    district: DistrictInfo, public_id: str, data: dict[str, Any], actor: str, *, today: date | None = None
) -> dict[str, Any]:
    """Draft the rectification order from the latest determination (findings, articles, deadline)."""
    case = await get_case(district, public_id)
    if case["status"] in CLOSED:
        raise Conflict("group_rental_case_closed", status=case["status"])
    active = await _active_order(case["id"])
    if active is not None:
        raise Conflict("group_rental_order_exists", number=active["number"])
    inspection = await latest_inspection(case["id"], "initial")
    if inspection is None or not inspection["group_rental"] or case["status"] != "determined":
        raise Conflict("group_rental_not_determined")
    fields = _order_fields(data, district, case)
    return await _create_order(district, case, inspection, fields, actor, today=today)


async def _create_order(
    district: DistrictInfo,
    case: dict[str, Any],
    inspection: dict[str, Any],
    fields: dict[str, str],
    actor: str,
    *,
    today: date | None = None,
    supersedes: int | None = None,
) -> dict[str, Any]:
    profile = profile_of(case["jurisdiction_code"])
    rules = rules_for_case(case)
    issued_on = today or today_in(profile)
    deadline, provisional = await _deadline(profile, rules, issued_on)
    determination = _json(inspection["determination"])
    last = (
        await GroupRentalOrder.select(GroupRentalOrder.number)
        .where(GroupRentalOrder.case == case["id"])
        .order_by(GroupRentalOrder.number, ascending=False)
        .first()
    )
    number = (last["number"] + 1) if last else 1
    async with racing("group_rental_order_exists", number=number), transaction(GroupRentalOrder._meta.db):
        if supersedes is not None:
            await GroupRentalOrder.update(
                {GroupRentalOrder.status: "superseded", GroupRentalOrder.superseded_by: number}
            ).where((GroupRentalOrder.case == case["id"]) & (GroupRentalOrder.number == supersedes))
        await GroupRentalOrder.insert(
            GroupRentalOrder(
                case=case["id"],
                number=number,
                doc_number=fields["doc_number"],
                status="draft",
                addressee=fields["addressee"],
                issuing_office=fields["issuing_office"],
                issued_on=issued_on,
                deadline=deadline,
                deadline_provisional=provisional,
                inspection=inspection["id"],
                findings=json.dumps(determination["findings"], ensure_ascii=False),
                legal_basis=json.dumps(legal_basis(determination), ensure_ascii=False),
                created_by=actor,
            )
        )
        await GroupRentalCase.update({GroupRentalCase.status: "ordered"}).where(
            GroupRentalCase.id == case["id"]
        )
        await record_audit(
            actor,
            "group_rental.order_supersede" if supersedes else "group_rental.order",
            district=district.slug,
            target=f"{case['public_id']}#{number}",
            details={"deadline": deadline.isoformat(), "supersedes": supersedes, **fields},
        )
    return _order_dict(await get_order(case, number), None)


async def update_order(
    district: DistrictInfo, public_id: str, number: int, data: dict[str, Any], actor: str
) -> dict[str, Any]:
    """Correct a draft order's addressee, office or number. A served order cannot be edited."""
    case = await get_case(district, public_id)
    order = await get_order(case, number)
    await _require_draft(order)
    fields = _order_fields({"addressee": order["addressee"], **data}, district, case)
    async with transaction(GroupRentalOrder._meta.db):
        await GroupRentalOrder.update(
            {
                GroupRentalOrder.addressee: fields["addressee"],
                GroupRentalOrder.issuing_office: fields["issuing_office"],
                GroupRentalOrder.doc_number: fields["doc_number"],
            }
        ).where(GroupRentalOrder.id == order["id"])
        await record_audit(
            actor,
            "group_rental.order_edit",
            district=district.slug,
            target=f"{public_id}#{number}",
            details=fields,
        )
    return _order_dict(await get_order(case, number), None)


async def _require_draft(order: dict[str, Any]) -> None:
    """409 unless the order is a draft; a served one names when it was served."""
    if order["status"] == "superseded":
        raise Conflict("group_rental_order_superseded", number=order["superseded_by"])
    if order["status"] == "served":
        served = await _service_of(order["id"])
        raise Conflict("group_rental_order_served", at=served["served_at"].isoformat() if served else EARLIER)


async def supersede_order(
    district: DistrictInfo,
    public_id: str,
    number: int,
    data: dict[str, Any],
    actor: str,
    *,
    today: date | None = None,
) -> dict[str, Any]:
    """Replace an order (served or not) with a new one; the old one stays on file, marked superseded."""
    case = await get_case(district, public_id)
    order = await get_order(case, number)
    if order["status"] == "superseded":
        raise Conflict("group_rental_order_superseded", number=order["superseded_by"])
    if case["status"] in CLOSED:
        raise Conflict("group_rental_case_closed", status=case["status"])
    inspection = (
        await GroupRentalInspection.select().where(GroupRentalInspection.id == order["inspection"]).first()
    )
    fields = _order_fields(
        {
            "addressee": order["addressee"],
            "issuing_office": order["issuing_office"],
            "doc_number": order["doc_number"],
            **(data or {}),
        },
        district,
        case,
    )
    return await _create_order(district, case, inspection, fields, actor, today=today, supersedes=number)


async def record_service(
    district: DistrictInfo,
    public_id: str,
    number: int,
    data: dict[str, Any],
    actor: str,
    *,
    uploads: list[Upload] | None = None,
) -> dict[str, Any]:
    """Record how the order was served: ``signed`` (who signed the receipt, when) or ``posted`` on the
    door with photographs — photos already on the case (``photos``: their SHA-256) and/or ``uploads``
    kept in the same transaction. The served document is frozen (kept as served, with its SHA-256)."""
    from plugins.group_rental.documents import order_document

    case = await get_case(district, public_id)
    order = await get_order(case, number)
    await _require_draft(order)
    only_fields(_object(data), ("method", "served_at", "received_by", "served_by", "photos", "note"))
    method = data.get("method")
    if method not in ("signed", "posted"):
        raise BadRequest("group_rental_service_bad_method", method=method, details={"field": "method"})
    served_at_raw = data.get("served_at")
    try:
        served_at = datetime.fromisoformat(served_at_raw) if isinstance(served_at_raw, str) else None
    except ValueError:
        served_at = None
    if served_at is None or served_at.tzinfo is None:
        raise FieldError("served_at", "datetime")
    if served_at > datetime.now(UTC):
        raise BadRequest("group_rental_service_future", details={"field": "served_at"})
    profile = profile_of(case["jurisdiction_code"])
    served_on = served_at.astimezone(ZoneInfo(profile.timezone)).date()
    if served_on < order["issued_on"]:
        raise BadRequest(
            "group_rental_service_before_issue",
            date=order["issued_on"].isoformat(),
            details={"field": "served_at"},
        )
    received_by = _text(data, "received_by", 100, required=False)
    served_by = _text(data, "served_by", 200, required=False)
    note = _text(data, "note", 400, required=False)
    photos = data.get("photos", [])
    if not isinstance(photos, list) or not all(isinstance(p, str) for p in photos):
        raise FieldError("photos", "list")
    checked = check_photos(list(uploads or ())) if method == "posted" else []
    photos = list(dict.fromkeys([*photos, *(digest for _, _, digest in checked)]))
    if method == "signed" and not received_by:
        raise BadRequest("group_rental_service_signed_needs_name", details={"field": "received_by"})
    if method == "posted":
        if not photos:
            raise BadRequest("group_rental_service_posting_needs_photos", details={"field": "photos"})
        known = {
            p["sha256"]
            for p in await GroupRentalPhoto.select(GroupRentalPhoto.sha256).where(
                GroupRentalPhoto.case == case["id"]
            )
        } | {digest for _, _, digest in checked}
        for sha in photos:
            if sha not in known:
                raise BadRequest("group_rental_photo_unknown", sha256=sha[:64], details={"field": "photos"})
    # The order gives the period "from the day it is received": the deadline runs from service.
    deadline, provisional = await _deadline(profile, rules_for_case(case), served_on)
    order = {**order, "deadline": deadline, "deadline_provisional": provisional}
    document = await order_document(district, case, order)
    digest = hashlib.sha256(document).hexdigest()
    async with racing("group_rental_order_served", at=EARLIER), transaction(GroupRentalService._meta.db):
        await _keep_photos(district, case, checked, actor, "posting", "")
        await GroupRentalService.insert(
            GroupRentalService(
                order=order["id"],
                method=method,
                served_at=served_at,
                received_by=received_by if method == "signed" else "",
                served_by=served_by,
                photos=json.dumps(photos if method == "posted" else []),
                note=note,
                recorded_by=actor,
            )
        )
        await GroupRentalOrder.update(
            {
                GroupRentalOrder.status: "served",
                GroupRentalOrder.deadline: deadline,
                GroupRentalOrder.deadline_provisional: provisional,
                GroupRentalOrder.docx: document,
                GroupRentalOrder.docx_sha256: digest,
            }
        ).where(GroupRentalOrder.id == order["id"])
        if method == "posted":
            await GroupRentalPhoto.update({GroupRentalPhoto.purpose: "posting"}).where(
                (GroupRentalPhoto.case == case["id"]) & GroupRentalPhoto.sha256.is_in(photos)
            )
        await GroupRentalCase.update({GroupRentalCase.status: "served"}).where(
            GroupRentalCase.id == case["id"]
        )
        await record_audit(
            actor,
            "group_rental.service",
            district=district.slug,
            target=f"{public_id}#{number}",
            details={
                "method": method,
                "served_at": served_at.isoformat(),
                "deadline": deadline.isoformat(),
                "received_by": received_by,
                "photos": photos if method == "posted" else [],
                "docx_sha256": digest,
            },
        )
    return _order_dict(await get_order(case, number), await _service_of(order["id"]))


async def _service_of(order_id: int) -> dict[str, Any] | None:
    return await GroupRentalService.select().where(GroupRentalService.order == order_id).first()


# --- follow-up ------------------------------------------------------------------------------------
async def overdue_cases(district: DistrictInfo, today: date | None = None) -> list[dict[str, Any]]:
    """Served cases whose deadline has passed with no re-inspection yet."""
    profile = profile_of(district.jurisdiction_code)
    today = today or today_in(profile)
    cases = await GroupRentalCase.select().where(
        (GroupRentalCase.district == district.id) & (GroupRentalCase.status == "served")
    )
    found = []
    for case in cases:
        order = (
            await GroupRentalOrder.select()
            .where((GroupRentalOrder.case == case["id"]) & (GroupRentalOrder.status == "served"))
            .first()
        )
        if order is not None and order["deadline"] < today:
            found.append(
                {
                    **_case_brief(case),
                    "deadline": order["deadline"].isoformat(),
                    "days_overdue": (today - order["deadline"]).days,
                }
            )
    return sorted(found, key=lambda c: c["deadline"])
