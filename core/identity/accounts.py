"""A district administrator's management of the district's staff accounts (the console's 账号管理).

Who: the district's ``district_admin`` holders and the city administrators (:meth:`Actor.can_manage_staff`).
Whom: the accounts whose every role lies in this district — an account that also works in another
district (or for the city) is shown but not changed from here, since disabling it or resetting its
password would reach into the other district (``staff_other_district``). What: add an account with a
role, disable and enable it (disabling ends its sessions and API tokens at once), reset its password,
grant and take back roles of this district (never ``city_admin``), issue and revoke API tokens.
A new password or token is returned once, to be shown once; only its hash is kept. Every change is
written to the audit log in the same transaction, under the district.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from core.data.db import transaction
from core.data.tables import ApiToken, Estate, RoleGrant, Staff, StaffSession
from core.districts import DistrictInfo, get_estate
from core.errors import BadRequest, Conflict, Forbidden, NotFound
from core.identity import audit, auth
from core.identity.auth import ESTATE_ROLES, ROLE_LABELS, Actor
from core.identity.staff import USERNAME_RE, insert_staff

#: Roles a district administrator may grant in their district.
GRANTABLE = ("district_admin", "district_officer", "checker", "committee_member", "counter", "scrutineer")
TOKEN_DAYS = (30, 90, 365)
#: Letters of a generated password: no 0/O, 1/l/I, so that it can be read out over the phone.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_password() -> str:
    """A one-time password of 14 letters and digits (about 80 bits), grouped for reading aloud."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(14))
    return "-".join(raw[i : i + 7] for i in range(0, 14, 7))


def require_staff_manager(actor: Actor, district: DistrictInfo) -> None:
    if not actor.can_manage_staff(district.id):
        raise Forbidden("forbidden")


async def district_staff(district: DistrictInfo) -> list[dict[str, Any]]:
    """Every account holding a role in ``district``: its roles here, its tokens, whether it may be
    changed from here (``local``: no role anywhere else)."""
    here = await RoleGrant.select(RoleGrant.staff).where(RoleGrant.district == district.id)
    staff_ids = sorted({int(g["staff"]) for g in here})
    if not staff_ids:
        return []
    grants = await RoleGrant.select(
        RoleGrant.id, RoleGrant.staff, RoleGrant.role, RoleGrant.district, RoleGrant.estate, RoleGrant.scope
    ).where(RoleGrant.staff.is_in(staff_ids))
    estates = {
        int(e["id"]): e
        for e in await Estate.select(Estate.id, Estate.code, Estate.name).where(
            Estate.district == district.id
        )
    }
    people = await Staff.select(Staff.id, Staff.username, Staff.display_name, Staff.active).where(
        Staff.id.is_in(staff_ids)
    )
    tokens = await ApiToken.select(
        ApiToken.id,
        ApiToken.staff,
        ApiToken.label,
        ApiToken.created_at,
        ApiToken.expires_at,
        ApiToken.revoked,
    ).where(ApiToken.staff.is_in(staff_ids))
    now = datetime.now(UTC)
    out = []
    for person in sorted(people, key=lambda p: p["username"]):
        mine = [g for g in grants if g["staff"] == person["id"]]
        held = [g for g in mine if g["district"] == district.id]
        out.append(
            {
                "username": person["username"],
                "display_name": person["display_name"],
                "active": bool(person["active"]),
                "local": all(g["district"] == district.id for g in mine),
                "roles": [
                    {
                        "id": g["id"],
                        "role": g["role"],
                        "label": ROLE_LABELS.get(g["role"], g["role"]),
                        "estate": estates[g["estate"]]["name"] if g["estate"] in estates else "",
                        "supervisor": bool(g["scope"]),
                    }
                    for g in sorted(
                        held, key=lambda g: GRANTABLE.index(g["role"]) if g["role"] in GRANTABLE else 99
                    )
                ],
                "tokens": [
                    {
                        "id": t["id"],
                        "label": t["label"],
                        "created_at": t["created_at"],
                        "expires_at": t["expires_at"],
                        "live": not t["revoked"]
                        and (t["expires_at"] is None or _aware(t["expires_at"]) > now),
                    }
                    for t in sorted(tokens, key=lambda t: t["id"])
                    if t["staff"] == person["id"]
                ],
            }
        )
    return out


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def _local_account(actor: Actor, district: DistrictInfo, username: str) -> dict[str, Any]:
    """The account ``username`` if this district's administrator may change it."""
    require_staff_manager(actor, district)
    person = (
        await Staff.select(Staff.id, Staff.username, Staff.active).where(Staff.username == username).first()
    )
    if person is None:
        raise NotFound("staff_not_found", username=username[:64])
    districts = {
        g["district"]
        for g in await RoleGrant.select(RoleGrant.district).where(RoleGrant.staff == person["id"])
    }
    if district.id not in districts:
        raise NotFound("staff_not_found", username=username[:64])
    if not actor.is_city_admin and districts != {district.id}:
        raise Forbidden("staff_other_district", username=username)
    return person


async def _estate_id(district: DistrictInfo, role: str, estate_code: str) -> int | None:
    if role not in ESTATE_ROLES:
        return None
    if not estate_code:
        raise BadRequest("staff_role_needs_estate", role=ROLE_LABELS[role])
    return int((await get_estate(district, estate_code))["id"])


def _check_role(role: str) -> None:
    if role not in GRANTABLE:
        raise BadRequest("bad_role", role=role[:32])


async def add_account(
    actor: Actor, district: DistrictInfo, username: str, display_name: str, role: str, estate_code: str = ""
) -> str:
    """A new account holding ``role`` in the district; returns its one-time password."""
    require_staff_manager(actor, district)
    username = (username or "").strip().lower()
    display_name = (display_name or "").strip()
    if not USERNAME_RE.match(username):
        raise BadRequest("staff_bad_username", value=username[:64])
    if not display_name or len(display_name) > 100:
        raise BadRequest("staff_bad_name")
    _check_role(role)
    estate_id = await _estate_id(district, role, estate_code)
    password = new_password()
    async with transaction(Staff._meta.db):
        new_id = await insert_staff(username, display_name, password)
        await RoleGrant.insert(RoleGrant(staff=new_id, role=role, district=district.id, estate=estate_id))
        await audit.record(
            actor.label,
            "staff.create",
            district=district.slug,
            target=username,
            details={"display_name": display_name, "role": role, "estate": estate_code or None},
        )
    return password


async def _end_access(staff_id: int) -> None:
    await StaffSession.delete().where(StaffSession.staff == staff_id)
    await ApiToken.update({ApiToken.revoked: True}).where(ApiToken.staff == staff_id)


async def set_active(actor: Actor, district: DistrictInfo, username: str, active: bool) -> None:
    """Disable (sessions and tokens end at once) or enable an account."""
    person = await _local_account(actor, district, username)
    if not active and person["id"] == actor.staff_id:
        raise BadRequest("staff_not_yourself")
    async with transaction(Staff._meta.db):
        await Staff.update({Staff.active: active}).where(Staff.id == person["id"])
        if not active:
            await _end_access(person["id"])
        await audit.record(
            actor.label,
            "staff.enable" if active else "staff.disable",
            district=district.slug,
            target=username,
        )


async def reset_password(actor: Actor, district: DistrictInfo, username: str) -> str:
    """A new one-time password for the account; its sessions end (its API tokens stay)."""
    person = await _local_account(actor, district, username)
    password = new_password()
    async with transaction(Staff._meta.db):
        await Staff.update({Staff.password_hash: auth.hash_password(password)}).where(
            Staff.id == person["id"]
        )
        await StaffSession.delete().where(StaffSession.staff == person["id"])
        await audit.record(actor.label, "staff.password_reset", district=district.slug, target=username)
    return password


async def grant(
    actor: Actor, district: DistrictInfo, username: str, role: str, estate_code: str = ""
) -> None:
    person = await _local_account(actor, district, username)
    _check_role(role)
    estate_id = await _estate_id(district, role, estate_code)
    async with transaction(Staff._meta.db):
        if await RoleGrant.exists().where(
            (RoleGrant.staff == person["id"])
            & (RoleGrant.role == role)
            & (RoleGrant.district == district.id)
            & (RoleGrant.estate.is_null() if estate_id is None else RoleGrant.estate == estate_id)
        ):
            raise Conflict("staff_role_held", role=ROLE_LABELS[role])
        await RoleGrant.insert(
            RoleGrant(staff=person["id"], role=role, district=district.id, estate=estate_id)
        )
        await audit.record(
            actor.label,
            "staff.grant",
            district=district.slug,
            target=username,
            details={"role": role, "estate": estate_code or None},
        )


async def revoke(actor: Actor, district: DistrictInfo, username: str, grant_id: int) -> None:
    person = await _local_account(actor, district, username)
    row = (
        await RoleGrant.select()
        .where(
            (RoleGrant.id == grant_id)
            & (RoleGrant.staff == person["id"])
            & (RoleGrant.district == district.id)
        )
        .first()
    )
    if row is None:
        raise NotFound("staff_role_not_found")
    if person["id"] == actor.staff_id and row["role"] == "district_admin":
        raise BadRequest("staff_not_yourself")
    async with transaction(Staff._meta.db):
        await RoleGrant.delete().where(RoleGrant.id == grant_id)
        await audit.record(
            actor.label,
            "staff.revoke",
            district=district.slug,
            target=username,
            details={"role": row["role"]},
        )


async def issue_token(actor: Actor, district: DistrictInfo, username: str, label: str, days: int) -> str:
    """A new API token for the account (shown once); ``days`` one of :data:`TOKEN_DAYS`."""
    person = await _local_account(actor, district, username)
    label = (label or "").strip()
    if not label or len(label) > 100:
        raise BadRequest("staff_token_label")
    if days not in TOKEN_DAYS:
        raise BadRequest("staff_token_days")
    if not person["active"]:
        raise Conflict("staff_disabled", username=username)
    async with transaction(Staff._meta.db):
        token = await auth.create_api_token(person["id"], label, days)
        await audit.record(
            actor.label,
            "staff.token",
            district=district.slug,
            target=username,
            details={"label": label, "days": days},
        )
    return token


async def revoke_token(actor: Actor, district: DistrictInfo, username: str, token_id: int) -> None:
    person = await _local_account(actor, district, username)
    row = (
        await ApiToken.select(ApiToken.label)
        .where((ApiToken.id == token_id) & (ApiToken.staff == person["id"]))
        .first()
    )
    if row is None:
        raise NotFound("staff_token_not_found")
    async with transaction(Staff._meta.db):
        await ApiToken.update({ApiToken.revoked: True}).where(ApiToken.id == token_id)
        await audit.record(
            actor.label,
            "staff.token_revoke",
            district=district.slug,
            target=username,
            details={"label": row["label"]},
        )


def role_choices(roles: Iterable[str] = GRANTABLE) -> list[dict[str, str]]:
    return [{"code": r, "label": ROLE_LABELS[r]} for r in roles]
