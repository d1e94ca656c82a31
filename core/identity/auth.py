"""Staff authentication: argon2 password hashes, console sessions, API bearer tokens.

Secrets never reach the database in a usable form: a session cookie and an API token are random
256-bit values of which only the SHA-256 is stored. The CSRF token of a session is derived from the
session secret (HMAC), so it needs no storage and cannot be computed by another site.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core.data.tables import ApiToken, RoleGrant, Staff, StaffSession
from core.errors import Unauthorized

SESSION_COOKIE = "wuye_session"
CSRF_SEED_COOKIE = "wuye_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
TOKEN_PREFIX = "wuye_"
ROLES = (
    "city_admin",
    "district_admin",
    "district_officer",
    "checker",
    "committee_member",
    "counter",
    "scrutineer",
)
#: Roles that run a whole district: its settings, estates, duties and cases (``district_admin``
#: besides manages the district's staff accounts).
MANAGER_ROLES = ("district_admin", "district_officer")
#: Roles held for one estate of a district (the grant names the estate); officers hold the district.
ESTATE_ROLES = ("committee_member", "counter", "scrutineer")
#: District roles for one kind of work only: they reach the routes that ``admits()`` them, and there
#: only the objects the duty assigns them (a checker: the housing checks they are assigned to).
TASK_ROLES = ("checker",)
#: What each role is called on the pages (the only names staff ever see).
ROLE_LABELS = {
    "city_admin": "市级管理员",
    "district_admin": "街道管理员（管理账号）",
    "district_officer": "街道工作人员",
    "checker": "住房核查员",
    "committee_member": "业委会成员",
    "counter": "计票人",
    "scrutineer": "监票人",
}
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# Verifying against a dummy hash when the user does not exist keeps response times alike.
_DUMMY_HASH = hash_password("wuye-dummy-password")


def new_secret() -> tuple[str, str]:
    """A fresh random secret and the SHA-256 hex digest that is all we store of it."""
    token = secrets.token_urlsafe(32)
    return token, sha256_hex(token)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def csrf_token_for(secret: str) -> str:
    """The CSRF token bound to a session cookie (or to the pre-login seed cookie)."""
    return hmac.new(secret.encode(), b"wuye-csrf-v1", hashlib.sha256).hexdigest()[:40]


def csrf_matches(secret: str | None, supplied: str | None) -> bool:
    if not secret or not supplied:
        return False
    return hmac.compare_digest(csrf_token_for(secret), supplied)


@dataclass(frozen=True)
class Grant:
    role: str
    district_id: int | None
    estate_id: int | None
    scope: str = ""


@dataclass(frozen=True)
class Actor:
    """The authenticated staff member behind a request or a CLI command."""

    staff_id: int
    username: str
    display_name: str
    grants: tuple[Grant, ...] = ()
    via: str = "session"  #: ``session`` | ``token`` | ``cli``
    csrf_token: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How the audit log names this actor."""
        return f"staff:{self.staff_id}:{self.username}" if self.staff_id else self.username

    @property
    def is_city_admin(self) -> bool:
        return any(g.role == "city_admin" for g in self.grants)

    def district_ids(self) -> set[int]:
        """Districts this actor may see at all (any role there)."""
        return {g.district_id for g in self.grants if g.district_id is not None}

    def can_view_district(self, district_id: int) -> bool:
        return self.is_city_admin or district_id in self.district_ids()

    def can_manage_district(self, district_id: int) -> bool:
        """Officers and administrators of the district (and city administrators) run its settings and
        cases; a checker or an estate role does not."""
        return self.is_city_admin or any(
            g.role in MANAGER_ROLES and g.district_id == district_id for g in self.grants
        )

    def can_manage_staff(self, district_id: int) -> bool:
        """District administrators (and city administrators) manage the district's staff accounts."""
        return self.is_city_admin or any(
            g.role == "district_admin" and g.district_id == district_id for g in self.grants
        )

    def roles_in(self, district_id: int) -> set[str]:
        if self.is_city_admin:
            return {"city_admin"}
        return {g.role for g in self.grants if g.district_id == district_id}

    def estate_ids(self, district_id: int, roles: Iterable[str] = ESTATE_ROLES) -> set[int]:
        """The estates of ``district_id`` this actor holds one of ``roles`` for (committee member,
        counter); an officer's reach is the whole district, see :meth:`can_manage_district`."""
        wanted = set(roles)
        return {
            g.estate_id
            for g in self.grants
            if g.district_id == district_id and g.role in wanted and g.estate_id is not None
        }


async def load_actor(staff_id: int, via: str, csrf_token: str = "") -> Actor | None:
    staff = await Staff.select().where(Staff.id == staff_id).first()
    if staff is None or not staff["active"]:
        return None
    grants = await RoleGrant.select().where(RoleGrant.staff == staff_id)
    return Actor(
        staff_id=staff["id"],
        username=staff["username"],
        display_name=staff["display_name"],
        grants=tuple(Grant(g["role"], g["district"], g["estate"], g["scope"]) for g in grants),
        via=via,
        csrf_token=csrf_token,
    )


async def authenticate(username: str, password: str) -> int:
    """The staff id for these credentials, else :class:`Unauthorized` (same error for both cases)."""
    staff = await Staff.select().where(Staff.username == username).first()
    if staff is None:
        verify_password(_DUMMY_HASH, password)
        raise Unauthorized("bad_credentials")
    if not verify_password(staff["password_hash"], password):
        raise Unauthorized("bad_credentials")
    if not staff["active"]:
        raise Unauthorized("account_disabled")
    if _hasher.check_needs_rehash(staff["password_hash"]):
        await Staff.update({Staff.password_hash: hash_password(password)}).where(Staff.id == staff["id"])
    return int(staff["id"])


async def open_session(staff_id: int, hours: int) -> str:
    """Start a console session; returns the cookie value (stored only as its hash)."""
    token, digest = new_secret()
    now = datetime.now(UTC)
    await StaffSession.insert(
        StaffSession(
            token_hash=digest,
            staff=staff_id,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return token


async def session_actor(token: str) -> Actor | None:
    row = await StaffSession.select().where(StaffSession.token_hash == sha256_hex(token)).first()
    if row is None:
        return None
    expires = row["expires_at"]
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if expires <= datetime.now(UTC):
        return None
    return await load_actor(row["staff"], "session", csrf_token_for(token))


async def close_session(token: str) -> None:
    await StaffSession.delete().where(StaffSession.token_hash == sha256_hex(token))


async def create_api_token(staff_id: int, label: str = "", days: int | None = 90) -> str:
    token, digest = new_secret()
    token = TOKEN_PREFIX + token
    digest = sha256_hex(token)
    expires = datetime.now(UTC) + timedelta(days=days) if days else None
    await ApiToken.insert(ApiToken(token_hash=digest, staff=staff_id, label=label, expires_at=expires))
    return token


async def token_actor(token: str) -> Actor | None:
    row = await ApiToken.select().where(ApiToken.token_hash == sha256_hex(token)).first()
    if row is None or row["revoked"]:
        return None
    expires = row["expires_at"]
    if expires is not None:
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        if expires <= datetime.now(UTC):
            return None
    return await load_actor(row["staff"], "token")
