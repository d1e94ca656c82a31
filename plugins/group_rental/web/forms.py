"""Console forms → the same dicts the API takes (so one validation path serves both), and the Chinese
words a page shows for a refused field. Pure: no database, no Request objects.

Room rows are named ``room-<n>-<field>`` with any distinct ``n`` (the page adds and removes rows), so a
row's checkboxes stay with it even though unticked boxes are not sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core import WuyeError
from plugins.group_rental.messages import FIELD_LABELS, FORM_TEXT, PAGE_PROBLEMS
from plugins.group_rental.rules import OPTIONAL_FLAGS, FieldError

ROOM_KEY = re.compile(r"^room-(\d{1,4})-name$")
ROOM_PATH = re.compile(r"^flat\.rooms\[(\d+)\]\.(\w+)$")
INSPECTION_FLAGS = ("police_present", "committee_present", "property_present")
FLAT_FLAGS = ("collective_dormitory", "agency_managed")
NAMES = re.compile(r"[、，,；;\s]+")


def text(form: Mapping[str, Any], key: str) -> str:
    """A text field as sent (a file or a missing field reads as empty)."""
    value = form.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def ticked(form: Mapping[str, Any], key: str) -> bool:
    return bool(text(form, key))


def room_rows(form: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The room rows in page order, as typed (strings and ticks): to refill the page after a refusal."""
    numbers = sorted(int(m.group(1)) for key in form if (m := ROOM_KEY.match(key)))
    rows = []
    for n in numbers:
        prefix = f"room-{n}-"
        row: dict[str, Any] = {
            "name": text(form, prefix + "name"),
            "designed_use": text(form, prefix + "designed_use"),
            "usable_area_m2": text(form, prefix + "usable_area_m2"),
            "occupants": text(form, prefix + "occupants"),
            "let": ticked(form, prefix + "let"),
        }
        row.update({flag: ticked(form, prefix + flag) for flag in OPTIONAL_FLAGS})
        rows.append(row)
    return rows


def _occupants(value: str) -> int | str:
    """Digits become a number; anything else is passed on for the engine to refuse by name."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else value


def inspection_values(form: Mapping[str, Any]) -> dict[str, Any]:
    """The inspection form as typed (for refilling the page)."""
    values: dict[str, Any] = {
        "inspected_on": text(form, "inspected_on"),
        "inspectors": text(form, "inspectors"),
        "notes": text(form, "notes"),
        "rooms": room_rows(form),
    }
    values.update({flag: ticked(form, flag) for flag in (*INSPECTION_FLAGS, *FLAT_FLAGS)})
    return values


def inspection_data(values: dict[str, Any]) -> dict[str, Any]:
    """The inspection as the API takes it (``POST …/inspections``)."""
    rooms = [{**row, "occupants": _occupants(row["occupants"])} for row in values["rooms"]]
    return {
        "inspected_on": values["inspected_on"],
        "inspectors": [n for n in NAMES.split(values["inspectors"]) if n],
        "notes": values["notes"],
        **{flag: values[flag] for flag in INSPECTION_FLAGS},
        "flat": {**{flag: values[flag] for flag in FLAT_FLAGS}, "rooms": rooms},
    }


def local_datetime(value: str, timezone: str) -> str:
    """``2026-11-23T10:00`` from a ``datetime-local`` input, read in the profile's timezone, as ISO 8601
    with its offset; "" when empty or malformed (the service then names the field)."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return ""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(timezone))
    return parsed.isoformat()


def field_label(path: str, rooms: list[dict[str, Any]]) -> str:
    """``flat.rooms[2].usable_area_m2`` → ``第 3 个房间（次卧）的使用面积``."""
    match = ROOM_PATH.match(path)
    if match:
        index, key = int(match.group(1)), match.group(2)
        name = rooms[index].get("name", "") if index < len(rooms) else ""
        return FORM_TEXT["room_field"].format(
            n=index + 1, name=f"（{name}）" if name else "", field=FIELD_LABELS.get(key, key)
        )
    return FIELD_LABELS.get(path.removeprefix("flat."), path)


def page_error(exc: WuyeError, rooms: list[dict[str, Any]] | None = None) -> str:
    """What a page says about a refusal: the field in words and what is wrong with it."""
    if isinstance(exc, FieldError):
        problem = PAGE_PROBLEMS.get(exc.field, exc.problem)
        return FORM_TEXT["field_error"].format(field=field_label(exc.field, rooms or []), problem=problem)
    return exc.message
