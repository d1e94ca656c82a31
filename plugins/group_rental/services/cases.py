"""Group-rental cases: opening one, the list, the case file (its inspections, orders, service and
photos) and the follow-up list of cases overdue for re-inspection. Every staff write is audited in
the same transaction as the write."""

from __future__ import annotations

import json
import secrets
import unicodedata
from datetime import date
from typing import Any

from core import (
    DistrictInfo,
    Estate,
    NotFound,
    Runtime,
    district_today,
    list_estates,
    people_time,
    record_audit,
    record_read,
    table_xlsx,
    transaction,
)
from plugins.group_rental.messages import CASE_HEADINGS, EXPORT_WORDS, label
from plugins.group_rental.rules import FieldError, GroupRentalRules, snapshot
from plugins.group_rental.services.common import (
    CASE_FIELD,
    CLOSED,
    json_object,
    only_fields,
    profile_of,
    stored_json,
    text_field,
)
from plugins.group_rental.tables import (
    GroupRentalCase,
    GroupRentalEscalation,
    GroupRentalInspection,
    GroupRentalOrder,
    GroupRentalPhoto,
    GroupRentalService,
)


def same_address(a: str, b: str) -> bool:
    """Two addresses as typed name the same flat: full-width forms, spaces and case aside."""

    def fold(text: str) -> str:
        return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace()).casefold()

    return fold(a) == fold(b)


async def open_cases_at(district: DistrictInfo, address: str) -> list[dict[str, Any]]:
    """The district's cases still open (not closed, not handed over) for ``address``: a second case
    for the same flat is most likely the same complaint again (the console warns before opening it)."""
    if not address.strip():
        return []
    rows = await GroupRentalCase.select(
        GroupRentalCase.public_id, GroupRentalCase.address, GroupRentalCase.status, GroupRentalCase.created_at
    ).where((GroupRentalCase.district == district.id) & GroupRentalCase.status.not_in(list(CLOSED)))
    return [r for r in rows if same_address(r["address"], address)]


async def open_case(
    runtime: Runtime, district: DistrictInfo, data: dict[str, Any], actor: str
) -> dict[str, Any]:
    """Open a case for a flat after a complaint or an inspection (audited)."""
    only_fields(json_object(data), ("address", "source", "complaint", "party", "estate"))
    address = text_field(data, "address", 300)
    source = data.get("source", "complaint")
    if source not in ("complaint", "inspection"):
        raise FieldError("source", "source", code=CASE_FIELD)
    complaint = text_field(data, "complaint", 2000, required=False)
    party = text_field(data, "party", 200, required=False)
    estate = text_field(data, "estate", 64, required=False)
    if estate and not await Estate.exists().where((Estate.district == district.id) & (Estate.code == estate)):
        raise FieldError("estate", "estate", code=CASE_FIELD)
    profile = profile_of(runtime, district.jurisdiction_code)
    year = (await district_today(district, profile)).year
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
    return await case_summary(runtime, district, public_id)


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
    return [case_brief(r) for r in rows]


def case_brief(row: dict[str, Any]) -> dict[str, Any]:
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


def rules_for_case(runtime: Runtime, case: dict[str, Any]) -> GroupRentalRules:
    """The rules the case was opened under (its snapshot), never the profile as it is today."""
    stored = stored_json(case["rules_snapshot"]) or {}
    if not stored:  # a case stored without a snapshot: the profile is all there is
        return GroupRentalRules.from_profile(profile_of(runtime, case["jurisdiction_code"]))
    return GroupRentalRules.from_snapshot(case["jurisdiction_code"], stored)


async def view_case(runtime: Runtime, district: DistrictInfo, public_id: str, actor: str) -> dict[str, Any]:
    """The case as :func:`case_summary`; audited as a read of personal data."""
    summary = await case_summary(runtime, district, public_id)
    await record_read(actor, "group_rental.view_case", district, public_id)
    return summary


async def case_summary(runtime: Runtime, district: DistrictInfo, public_id: str) -> dict[str, Any]:
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
    rules = rules_for_case(runtime, case)
    return {
        **case_brief(case),
        "complaint": case["complaint"],
        "rules": {
            "profile": case["jurisdiction_code"],
            "name": (stored_json(case["rules_snapshot"]) or {}).get("name", ""),
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
        "inspections": [inspection_dict(i) for i in inspections],
        "orders": [order_dict(o, services.get(o["id"])) for o in orders],
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


def inspection_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "inspected_on": row["inspected_on"].isoformat(),
        "inspectors": stored_json(row["inspectors"]),
        "police_present": row["police_present"],
        "committee_present": row["committee_present"],
        "property_present": row["property_present"],
        "flat": stored_json(row["flat"]),
        "determination": stored_json(row["determination"]),
        "group_rental": row["group_rental"],
        "notes": row["notes"],
        "recorded_by": row["recorded_by"],
    }


def order_dict(row: dict[str, Any], service: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "number": row["number"],
        "doc_number": row["doc_number"],
        "status": row["status"],
        "addressee": row["addressee"],
        "issuing_office": row["issuing_office"],
        "issued_on": row["issued_on"].isoformat(),
        "deadline": row["deadline"].isoformat(),
        "deadline_provisional": row["deadline_provisional"],
        "findings": stored_json(row["findings"]),
        "legal_basis": stored_json(row["legal_basis"]),
        "superseded_by": row["superseded_by"],
        "docx_sha256": row["docx_sha256"],
        "service": service_dict(service) if service else None,
    }


def service_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "method": row["method"],
        "served_at": row["served_at"].isoformat(),
        "received_by": row["received_by"],
        "served_by": row["served_by"],
        "photos": stored_json(row["photos"]),
        "note": row["note"],
        "recorded_by": row["recorded_by"],
    }


async def overdue_cases(
    runtime: Runtime, district: DistrictInfo, today: date | None = None
) -> list[dict[str, Any]]:
    """Served cases whose deadline has passed with no re-inspection yet."""
    profile = profile_of(runtime, district.jurisdiction_code)
    today = today or await district_today(district, profile)
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
                    **case_brief(case),
                    "deadline": order["deadline"].isoformat(),
                    "days_overdue": (today - order["deadline"]).days,
                }
            )
    return sorted(found, key=lambda c: c["deadline"])


async def cases_xlsx(runtime: Runtime, district: DistrictInfo, actor: str) -> tuple[bytes, str]:
    """The district's cases as an XLSX (the parties' names: an audited read)."""
    profile = profile_of(runtime, district.jurisdiction_code)
    estates = {e["code"]: e["name"] for e in await list_estates(district)}
    rows = (
        await GroupRentalCase.select()
        .where(GroupRentalCase.district == district.id)
        .order_by(GroupRentalCase.id, ascending=False)
    )
    await record_read(actor, "group_rental.cases_export", district, district.slug, cases=len(rows))
    content = table_xlsx(
        CASE_HEADINGS,
        (
            (
                r["public_id"],
                r["address"],
                estates.get(r["estate"], r["estate"]),
                r["party"],
                label(f"source.{r['source']}"),
                label(f"status.{r['status']}"),
                people_time(r["created_at"], profile) if r["created_at"] else "",
            )
            for r in rows
        ),
        sheet=EXPORT_WORDS["cases_sheet"],
    )
    return content, EXPORT_WORDS["cases_file"].format(district=district.name)
