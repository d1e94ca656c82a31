"""Who may see an entrustment's personal data: its assigned officers and their district's supervisors;
and whether an entrustment may still change (open, not yet reported).

A supervisor holds a ``district_officer`` grant in the district with the scope
``housing_check.supervisor`` (``wuye staff grant NAME district_officer --district SLUG --scope
housing_check.supervisor``). Nobody else — not another officer of the district, not a city
administrator — reads a household (000 §12 规范（二）: information is kept from anyone not doing the
work). Every read of personal data is written to the audit log by the caller.
"""

from __future__ import annotations

from typing import Any

from core import Actor, Conflict, Forbidden, NotFound
from plugins.housing_check.tables import HousingCheckEntrustment, HousingCheckOfficer

SUPERVISOR_SCOPE = "housing_check.supervisor"


def is_supervisor(actor: Actor, district_id: int) -> bool:
    return any(
        g.role == "district_officer" and g.district_id == district_id and g.scope == SUPERVISOR_SCOPE
        for g in actor.grants
    )


def require_supervisor(actor: Actor, district_id: int) -> None:
    if not is_supervisor(actor, district_id):
        raise Forbidden("housing_check_not_supervisor")


async def assigned_staff(entrustment_id: int) -> set[int]:
    rows = await HousingCheckOfficer.select(HousingCheckOfficer.staff).where(
        HousingCheckOfficer.entrustment == entrustment_id
    )
    return {int(r["staff"]) for r in rows}


async def get_entrustment(district: Any, public_id: str) -> dict[str, Any]:
    row = (
        await HousingCheckEntrustment.select()
        .where(
            (HousingCheckEntrustment.public_id == public_id)
            & (HousingCheckEntrustment.district == district.id)
        )
        .first()
    )
    if row is None:
        raise NotFound("housing_check_not_found")
    return row


async def entrustment_for(actor: Actor, district: Any, public_id: str) -> dict[str, Any]:
    """The entrustment if ``actor`` may see its households, else 403 (404 if it does not exist here)."""
    row = await get_entrustment(district, public_id)
    if not is_supervisor(actor, district.id) and actor.staff_id not in await assigned_staff(row["id"]):
        raise Forbidden("housing_check_not_assigned")
    return row


def require_open(row: dict[str, Any]) -> None:
    """An entrustment already reported is closed: 409 for any change."""
    if row["status"] != "open":
        raise Conflict("housing_check_closed")
