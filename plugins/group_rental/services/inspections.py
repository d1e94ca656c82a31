"""Group-rental inspections: the joint determination (认定) and, after service, the re-inspection
(复查); each one assessed under the rules the case was opened under, audited with its write."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from core import Conflict, DistrictInfo, Runtime, district_today, record_audit, transaction
from plugins.group_rental.rules import FieldError, assess, parse_flat
from plugins.group_rental.services.cases import get_case, rules_for_case
from plugins.group_rental.services.common import CLOSED, date_field, flag_field, profile_of
from plugins.group_rental.tables import GroupRentalCase, GroupRentalInspection

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
    inspected_on = date_field(data["inspected_on"], "inspected_on", today)
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
        "police_present": flag_field(data, "police_present"),
        "committee_present": flag_field(data, "committee_present"),
        "property_present": flag_field(data, "property_present"),
        "notes": notes.strip(),
        "flat": parse_flat(data["flat"], prefix="flat."),
    }


async def record_inspection(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    data: Any,
    actor: str,
    *,
    today: date | None = None,
) -> dict[str, Any]:
    """Record an inspection and its determination. Before an order is served it is the joint
    determination (认定); after service it is the re-inspection (复查): rectified closes the case."""
    case = await get_case(district, public_id)
    profile = profile_of(runtime, case["jurisdiction_code"])
    parsed = parse_inspection(data, today or await district_today(district, profile))
    if case["status"] in CLOSED:
        raise Conflict("group_rental_case_closed", status=case["status"])
    if case["status"] in ("served", "unrectified"):
        kind = "reinspection"
    elif case["status"] == "ordered":
        raise Conflict("group_rental_reinspect_not_served")
    else:
        kind = "initial"
    determination = assess(parsed["flat"], rules_for_case(runtime, case))
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
