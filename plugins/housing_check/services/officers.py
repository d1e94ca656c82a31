"""The officers of an entrustment: assigning and taking off (supervisors only, while it is open), and
who may be assigned."""

from __future__ import annotations

from typing import Any

from core import Actor, BadRequest, NotFound, RoleGrant, Staff, record_audit, transaction
from plugins.housing_check.services.access import get_entrustment, require_open, require_supervisor
from plugins.housing_check.tables import HousingCheckOfficer


async def assign_officers(
    district: Any, actor: Actor, public_id: str, usernames: list[str]
) -> dict[str, Any]:
    """Assign staff of this district to the entrustment (supervisors only)."""
    require_supervisor(actor, district.id)
    row = await get_entrustment(district, public_id)
    require_open(row)
    names = [u.strip() for u in usernames if u and u.strip()]
    if not names:
        raise BadRequest("housing_check_no_officers")
    ids: dict[str, int] = {}
    for username in names:
        staff = await Staff.select(Staff.id).where(Staff.username == username).first()
        eligible = staff is not None and await RoleGrant.exists().where(
            (RoleGrant.staff == staff["id"])
            & (RoleGrant.district == district.id)
            & (RoleGrant.role.is_in(["district_officer", "district_admin", "checker"]))
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
    row = await get_entrustment(district, public_id)
    require_supervisor(actor, district.id)
    require_open(row)
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
    """Active staff holding ``district_officer`` or ``checker`` in this district (who may be assigned)."""
    rows = await RoleGrant.select(
        RoleGrant.staff.username.as_alias("username"),
        RoleGrant.staff.display_name.as_alias("display_name"),
    ).where(
        (RoleGrant.district == district.id)
        & (RoleGrant.role.is_in(["district_officer", "district_admin", "checker"]))
        & (RoleGrant.staff.active.eq(True))
    )
    unique = {r["username"]: r for r in rows}
    return [unique[name] for name in sorted(unique)]
