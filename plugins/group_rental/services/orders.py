"""Group-rental rectification orders (责令改正通知书): drafting one from the determination, correcting
a draft, superseding, recording its service (which freezes the document as served and starts the
deadline) and downloading it (audited: personal data)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core import (
    BadRequest,
    Conflict,
    Deadline,
    DistrictInfo,
    Jurisdiction,
    NotFound,
    Runtime,
    Source,
    Upload,
    allocate_doc_number,
    district_now,
    district_today,
    office_prefix,
    record_audit,
    record_read,
    transaction,
    work_calendar,
)
from plugins.group_rental.documents import order_document
from plugins.group_rental.messages import EARLIER
from plugins.group_rental.rules import FieldError, GroupRentalRules
from plugins.group_rental.services.cases import get_case, order_dict, rules_for_case
from plugins.group_rental.services.common import (
    CLOSED,
    default_office,
    json_object,
    only_fields,
    profile_of,
    racing,
    stored_json,
    text_field,
)
from plugins.group_rental.services.inspections import latest_inspection
from plugins.group_rental.services.photos import check_photos, keep_photos
from plugins.group_rental.tables import (
    GroupRentalCase,
    GroupRentalInspection,
    GroupRentalOrder,
    GroupRentalPhoto,
    GroupRentalService,
)

#: The 发文字号's kind for a served order (core.documents.numbers), unless the officer typed a 文号.
NUMBER_KIND = "group_rental.order"


def legal_basis(determination: dict[str, Any]) -> list[str]:
    """The distinct articles of the findings, in order of first appearance."""
    seen: list[str] = []
    for finding in determination.get("findings", []):
        article = finding.get("article", "")
        if article and article not in seen:
            seen.append(article)
    return seen


async def _deadline(profile: Jurisdiction, rules: GroupRentalRules, issued_on: date) -> tuple[date, bool]:
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


def _order_fields(data: dict[str, Any], district: DistrictInfo, case: dict[str, Any]) -> dict[str, str]:
    only_fields(json_object(data), ORDER_FIELDS)
    addressee = text_field(data, "addressee", 200, required=not case["party"]) or case["party"]
    office = text_field(data, "issuing_office", 200, required=False) or default_office(district)
    doc_number = text_field(data, "doc_number", 64, required=False)
    return {"addressee": addressee, "issuing_office": office, "doc_number": doc_number}


async def issue_order(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    data: dict[str, Any],
    actor: str,
    *,
    today: date | None = None,
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
    return await _create_order(runtime, district, case, inspection, fields, actor, today=today)


async def _create_order(
    runtime: Runtime,
    district: DistrictInfo,
    case: dict[str, Any],
    inspection: dict[str, Any],
    fields: dict[str, str],
    actor: str,
    *,
    today: date | None = None,
    supersedes: int | None = None,
) -> dict[str, Any]:
    profile = profile_of(runtime, case["jurisdiction_code"])
    rules = rules_for_case(runtime, case)
    issued_on = today or await district_today(district, profile)
    deadline, provisional = await _deadline(profile, rules, issued_on)
    determination = stored_json(inspection["determination"])
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
    return order_dict(await get_order(case, number), None)


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
    return order_dict(await get_order(case, number), None)


async def _require_draft(order: dict[str, Any]) -> None:
    """409 unless the order is a draft; a served one names when it was served."""
    if order["status"] == "superseded":
        raise Conflict("group_rental_order_superseded", number=order["superseded_by"])
    if order["status"] == "served":
        served = await _service_of(order["id"])
        raise Conflict("group_rental_order_served", at=served["served_at"].isoformat() if served else EARLIER)


async def supersede_order(
    runtime: Runtime,
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
    return await _create_order(
        runtime, district, case, inspection, fields, actor, today=today, supersedes=number
    )


async def record_service(
    runtime: Runtime,
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
    case = await get_case(district, public_id)
    order = await get_order(case, number)
    await _require_draft(order)
    only_fields(json_object(data), ("method", "served_at", "received_by", "served_by", "photos", "note"))
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
    if served_at > await district_now(district):
        raise BadRequest("group_rental_service_future", details={"field": "served_at"})
    profile = profile_of(runtime, case["jurisdiction_code"])
    served_on = served_at.astimezone(ZoneInfo(profile.timezone)).date()
    if served_on < order["issued_on"]:
        raise BadRequest(
            "group_rental_service_before_issue",
            date=order["issued_on"].isoformat(),
            details={"field": "served_at"},
        )
    received_by = text_field(data, "received_by", 100, required=False)
    served_by = text_field(data, "served_by", 200, required=False)
    note = text_field(data, "note", 400, required=False)
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
    deadline, provisional = await _deadline(profile, rules_for_case(runtime, case), served_on)
    order = {**order, "deadline": deadline, "deadline_provisional": provisional}
    async with racing("group_rental_order_served", at=EARLIER), transaction(GroupRentalService._meta.db):
        if not order["doc_number"]:  # served = issued: the office's next 发文字号 unless one was typed
            order["doc_number"] = await allocate_doc_number(
                district.id,
                NUMBER_KIND,
                f"{public_id}#{number}",
                office=office_prefix(district.name),
                year=served_on.year,
                actor=actor,
            )
        document = await order_document(runtime, district, case, order)
        digest = hashlib.sha256(document).hexdigest()
        await keep_photos(district, case, checked, actor, "posting", "")
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
                GroupRentalOrder.doc_number: order["doc_number"],
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
                "doc_number": order["doc_number"],
            },
        )
    return order_dict(await get_order(case, number), await _service_of(order["id"]))


async def _service_of(order_id: int) -> dict[str, Any] | None:
    return await GroupRentalService.select().where(GroupRentalService.order == order_id).first()


async def order_docx(
    runtime: Runtime, district: DistrictInfo, public_id: str, number: int, actor: str
) -> bytes:
    """The order (as served, once served); audited as a read of personal data."""
    case = await get_case(district, public_id)
    order = await get_order(case, number)
    content = await order_document(runtime, district, case, order)
    await record_read(
        actor,
        "group_rental.download_order",
        district,
        f"{public_id}#{number}",
        status=order["status"],
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return content
