"""Helpers shared by the group_rental use cases: the profile of a case, stored JSON columns, the
checks of a request's fields, and a unique-key clash as a 409. No Request objects here."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import asyncpg

from core import Conflict, DistrictInfo, Jurisdiction, Runtime, json_value
from plugins.group_rental.messages import OFFICES
from plugins.group_rental.rules import FieldError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
CLOSED = ("no_violation", "rectified", "escalated")
CASE_FIELD = "group_rental_bad_case_field"


def profile_of(runtime: Runtime, code: str) -> Jurisdiction:
    """The jurisdiction profile ``code`` of the running platform."""
    return runtime.jurisdictions.get(code)


#: A JSON column as read back (SQLite hands over the text, PostgreSQL the decoded value).
stored_json = json_value


def default_office(district: DistrictInfo) -> str:
    return OFFICES["office"].format(district=district.name)


# --- input helpers --------------------------------------------------------------------------------
def text_field(data: dict[str, Any], key: str, max_length: int, *, required: bool = True) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value.strip()) > max_length:
        raise FieldError(key, "text", max=max_length, code=CASE_FIELD)
    return value.strip()


def json_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise FieldError("$", "object", code=CASE_FIELD)
    return data


@contextlib.asynccontextmanager
async def racing(code: str, **fmt: Any) -> AsyncIterator[None]:
    """Turn a unique-key clash (another officer did the same thing a moment earlier) into a 409."""
    try:
        yield
    except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
        raise Conflict(code, **fmt) from None


def only_fields(data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse a field the request does not know (a typo must not be silently ignored)."""
    for key in data:
        if key not in allowed:
            raise FieldError(key, "unknown", code=CASE_FIELD)


def date_field(value: Any, key: str, today: date) -> date:
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None or parsed > today:
        raise FieldError(key, "date")
    return parsed


def flag_field(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise FieldError(key, "bool")
    return value
