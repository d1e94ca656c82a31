"""The dwellings found for a household: entering one (checked against the area rules snapshotted with
the entrustment) and withdrawing one entered by mistake."""

from __future__ import annotations

from typing import Any

from core import Actor, BadRequest, NotFound, record_audit, transaction
from plugins.housing_check.rules import AREA_TYPES, DWELLING_KINDS, conversion_factor, parse_area
from plugins.housing_check.services.access import entrustment_for, require_open
from plugins.housing_check.services.entrustments import area_rules
from plugins.housing_check.services.households import get_household
from plugins.housing_check.tables import HousingCheckDwelling, HousingCheckStep


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
    require_open(row)
    await get_household(row, household_id)
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
    require_open(row)
    await get_household(row, household_id)
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
