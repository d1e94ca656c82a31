"""Staff accounts and role grants (used by the CLI, the demo and the tests)."""

from __future__ import annotations

import re

from core.data.db import transaction
from core.data.tables import RoleGrant, Staff
from core.districts import get_district, get_estate
from core.errors import BadRequest, Conflict, NotFound
from core.identity import audit, auth

USERNAME_RE = re.compile(r"^[a-z][a-z0-9_.-]{1,63}$")


async def create_staff(actor_label: str, username: str, display_name: str, password: str) -> int:
    if not USERNAME_RE.match(username or ""):
        raise BadRequest("bad_slug", value=username)
    if len(password or "") < auth.MIN_PASSWORD_LENGTH:
        raise BadRequest("weak_password")
    engine = Staff._meta.db
    async with transaction(engine):
        new_id = await insert_staff(username, display_name, password)
        await audit.record(
            actor_label, "staff.create", target=username, details={"display_name": display_name}
        )
    return new_id


async def insert_staff(username: str, display_name: str, password: str) -> int:
    """Insert an account (inside the caller's transaction); 409 ``staff_exists`` if the name is taken."""
    if await Staff.exists().where(Staff.username == username):
        raise Conflict("staff_exists", username=username)
    rows = await Staff.insert(
        Staff(username=username, display_name=display_name, password_hash=auth.hash_password(password))
    ).returning(Staff.id)
    return int(rows[0]["id"])


async def staff_id(username: str) -> int:
    row = await Staff.select(Staff.id).where(Staff.username == username).first()
    if row is None:
        raise NotFound("staff_not_found", username=username)
    return int(row["id"])


async def grant_role(
    actor_label: str,
    username: str,
    role: str,
    district_slug: str | None = None,
    estate_code: str | None = None,
    scope: str = "",
) -> None:
    if role not in auth.ROLES:
        raise BadRequest("bad_role", role=role)
    sid = await staff_id(username)
    district_id = estate_id = None
    if role != "city_admin":
        if not district_slug:
            raise BadRequest("validation_failed", detail="该角色必须指定区/街道（--district）")
        district = await get_district(district_slug)
        district_id = district.id
        if role in auth.ESTATE_ROLES:
            if not estate_code:
                raise BadRequest(
                    "validation_failed", detail="业委会成员、计票人和监票人必须指定小区（--estate）"
                )
            estate_id = (await get_estate(district, estate_code))["id"]
    async with transaction(Staff._meta.db):
        await RoleGrant.insert(
            RoleGrant(staff=sid, role=role, district=district_id, estate=estate_id, scope=scope or "")
        )
        await audit.record(
            actor_label,
            "staff.grant",
            district=district_slug or "",
            target=username,
            details={"role": role, "estate": estate_code, "scope": scope},
        )


async def issue_token(actor_label: str, username: str, label: str, days: int) -> str:
    sid = await staff_id(username)
    async with transaction(Staff._meta.db):
        token = await auth.create_api_token(sid, label, days)
        await audit.record(
            actor_label, "staff.token", target=username, details={"label": label, "days": days}
        )
    return token
