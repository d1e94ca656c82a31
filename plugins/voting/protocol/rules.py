"""Pure voting rules: areas in integer hundredths of m², how units group into voters, digests.

No I/O here: the services load rows and call these functions; the tests aim here first.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from core import canonical_json

AREA_SOURCES = ("register", "survey", "contract")
HEADCOUNT_METHODS = ("per_unit", "court_rule", "per_certificate")
HeadcountMethod = Literal["per_unit", "court_rule", "per_certificate"]
_AREA_RE = re.compile(r"^\d{1,9}(\.\d{1,2})?$")
DEVELOPER_KEY = "__developer__"


def parse_area(text: str) -> int | None:
    """``"89.5"`` → 8950 (hundredths of a m²); None unless a positive decimal with ≤ 2 places."""
    text = (text or "").strip()
    if not _AREA_RE.match(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    centi = int(value * 100)
    return centi if centi > 0 else None


def format_area(centi: int) -> str:
    """8950 → ``"89.50"``."""
    sign = "-" if centi < 0 else ""
    centi = abs(centi)
    return f"{sign}{centi // 100}.{centi % 100:02d}"


def natural_key(code: str) -> tuple[tuple[object, ...], str]:
    """``3-2-1201`` sorts after ``3-2-201``: numbers compare as numbers (docs/protocol.md §2.2).

    The code splits into text, digit run, text, …, text (a digit run: Unicode decimal digits, as
    ``\\d``); runs compare by value, texts by code point. Codes equal so far (``A-1``, ``A-01``,
    ``A-001``) are ordered by the whole code, by code point (``A-001`` < ``A-01`` < ``A-1``), so the
    order is total and never depends on the order the codes came in."""
    parts = re.split(r"(\d+)", code)
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts)), code


@dataclass(frozen=True)
class Unit:
    """One exclusive unit (专有部分) of the register."""

    unit_code: str
    area_centi: int
    area_source: str
    owner_key: str
    owner_name: str
    certificate_no: str
    developer_unsold: bool


@dataclass(frozen=True)
class Voter:
    """One vote-holder: its units, the sum of their areas, and one head (法释〔2009〕7号 第九条)."""

    key: str
    name: str
    unit_codes: tuple[str, ...]
    area_centi: int
    heads: int = 1


def voter_groups(units: Iterable[Unit], method: str) -> dict[str, list[Unit]]:
    """The units of each vote-holder under ``method``, unordered (see :func:`group_voters`)."""
    if method not in HEADCOUNT_METHODS:
        raise ValueError(f"unknown headcount method {method!r}")
    groups: dict[str, list[Unit]] = {}
    for unit in units:
        key = group_key(method, unit.unit_code, unit.owner_key, unit.certificate_no, unit.developer_unsold)
        groups.setdefault(key, []).append(unit)
    return groups


def group_key(
    method: str, unit_code: str, owner_key: str, certificate_no: str, developer_unsold: bool
) -> str:
    """Which vote-holder a unit belongs to under ``method`` (units with one key are one voter)."""
    if method == "per_unit":
        return f"unit:{unit_code}"
    if developer_unsold:
        return DEVELOPER_KEY
    if method == "court_rule":
        return f"owner:{owner_key}"
    return f"cert:{certificate_no}" if certificate_no else f"unit:{unit_code}"


def grouping_holds(unit_keys: dict[str, str], voter_units: Iterable[Sequence[str]]) -> bool:
    """Whether the voters' units are exactly the groups of units sharing a key (``unit_keys``: each
    unit's :func:`group_key`): every unit in one voter only, a voter's units all of one key, and no two
    voters of the same key."""
    seen_units: set[str] = set()
    seen_keys: set[str] = set()
    listed = 0
    for codes in voter_units:
        if not codes:
            return False
        key = unit_keys.get(codes[0])
        if key is None or key in seen_keys:
            return False
        for code in codes:
            if unit_keys.get(code) != key:
                return False
        seen_keys.add(key)
        seen_units.update(codes)
        listed += len(codes)
    return listed == len(seen_units) == len(unit_keys)


def group_voters(units: Iterable[Unit], method: HeadcountMethod) -> list[Voter]:
    """Group units into voters by the jurisdiction's headcount rule.

    * ``per_unit``: one voter per exclusive unit.
    * ``court_rule``: the developer's unsold or undelivered units together are one voter, and one
      buyer (``owner_key``) of several units is one voter (SPC interpretation Art. 9).
    * ``per_certificate``: one voter per property certificate (seed 000 §5, Shanghai practice); a unit
      without a certificate number counts alone, the developer's unsold units together.
    """
    groups = voter_groups(units, method)
    voters = []
    for key, members in groups.items():
        members.sort(key=lambda u: natural_key(u.unit_code))
        names = sorted({u.owner_name for u in members})
        voters.append(
            Voter(
                key=key,
                name="、".join(names) if key != DEVELOPER_KEY else f"{names[0]}（建设单位未售房屋）",
                unit_codes=tuple(u.unit_code for u in members),
                area_centi=sum(u.area_centi for u in members),
            )
        )
    voters.sort(key=lambda v: natural_key(v.unit_codes[0]))
    return voters


def register_digest(
    units: Sequence[Unit],
    voters: Sequence[Voter],
    method: str,
    *,
    plain: bool = False,
) -> str:
    """SHA-256 over the RFC 8785 encoding of the frozen register (see docs/protocol.md); ``plain`` as in
    :func:`core.signing.canonical_json`."""
    return register_rows_digest(
        method,
        [
            {
                "unit_code": u.unit_code,
                "area_centi": u.area_centi,
                "area_source": u.area_source,
                "owner_key": u.owner_key,
                "developer_unsold": u.developer_unsold,
            }
            for u in sorted(units, key=lambda u: natural_key(u.unit_code))
        ],
        [{"units": list(v.unit_codes), "area_centi": v.area_centi, "heads": v.heads} for v in voters],
        plain=plain,
    )


def register_rows_digest(
    method: str, units: list[dict[str, Any]], voters: list[dict[str, Any]], *, plain: bool = False
) -> str:
    """:func:`register_digest` of rows already in the digest's form: units (``unit_code``,
    ``area_centi``, ``area_source``, ``owner_key``, ``developer_unsold``) in natural order, voters
    (``units``, ``area_centi``, ``heads``) in voter order."""
    document = {"headcount_method": method, "units": units, "voters": voters}
    return hashlib.sha256(canonical_json(document, plain=plain)).hexdigest()


def serial_for(voter_no: int) -> str:
    """The short code printed on a sheet for paper voting: the number and a Luhn check digit."""
    digits = f"{voter_no:04d}"
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return f"{digits}-{(10 - total % 10) % 10}"


def sheet_serial(serial: str, version: int) -> str:
    """The serial printed on one printing of a voter's sheet: reissues carry ``.N`` (N >= 2)."""
    return serial if version <= 1 else f"{serial}.{version}"


def parse_sheet_serial(text: str) -> tuple[str, int] | None:
    """``(voter serial, version)`` of a printed serial, or None when it is not one."""
    serial, _, version = text.strip().partition(".")
    if not serial_valid(serial):
        return None
    if not version:
        return serial, 1
    if not version.isdigit() or int(version) < 2:
        return None
    return serial, int(version)


def serial_valid(serial: str) -> bool:
    number, _, check = serial.partition("-")
    return number.isdigit() and check.isdigit() and serial_for(int(number)) == serial


@dataclass(frozen=True)
class TimetableProblem:
    field: str
    code: str  #: a message code of plugins/voting/messages.py
    values: dict[str, Any]


def check_timetable(
    notice_date: Any,
    delivery_deadline: Any,
    meeting_date: Any,
    closes_on: Any,
    count_date: Any,
    *,
    notice_days: int,
    delivery_days: int,
) -> list[TimetableProblem]:
    """The legal timetable: notice ≥ ``notice_days`` and delivery ≥ ``delivery_days`` before the
    meeting (calendar days, seed 000 §5 norms 3–4), and the dates in order."""
    problems = []
    notice_gap = (meeting_date - notice_date).days
    if notice_gap < notice_days:
        problems.append(
            TimetableProblem("notice_date", "voting_tt_notice", {"need": notice_days, "have": notice_gap})
        )
    delivery_gap = (meeting_date - delivery_deadline).days
    if delivery_gap < delivery_days:
        problems.append(
            TimetableProblem(
                "delivery_deadline", "voting_tt_delivery", {"need": delivery_days, "have": delivery_gap}
            )
        )
    if delivery_deadline < notice_date:
        problems.append(TimetableProblem("delivery_deadline", "voting_tt_delivery_before_notice", {}))
    if closes_on < meeting_date:
        problems.append(TimetableProblem("voting_closes", "voting_tt_closes_before_meeting", {}))
    if count_date < closes_on:
        problems.append(TimetableProblem("count_date", "voting_tt_count_before_close", {}))
    return problems


@dataclass(frozen=True)
class DeadlineWarning:
    level: Literal["warning", "overdue"]
    code: str  #: a message code of plugins/voting/messages.py
    values: dict[str, Any]


def timetable_warnings(
    *,
    today: Any,
    notice_date: Any,
    delivery_deadline: Any,
    meeting_date: Any,
    voters: int,
    printed: int,
    delivered: int,
    soon_days: int = 3,
) -> list[DeadlineWarning]:
    """What the console shows before a deadline of a published meeting is missed."""
    warnings = []
    if today <= notice_date:
        warnings.append(
            DeadlineWarning("warning", "voting_warn_notice_pending", {"date": notice_date.isoformat()})
        )
    if printed < voters:
        warnings.append(
            DeadlineWarning("warning", "voting_warn_not_printed", {"date": meeting_date.isoformat()})
        )
    missing = voters - delivered
    if missing > 0:
        days = (delivery_deadline - today).days
        values = {"date": delivery_deadline.isoformat(), "count": missing, "days": days}
        if days < 0:
            warnings.append(DeadlineWarning("overdue", "voting_warn_delivery_overdue", values))
        elif days <= soon_days:
            warnings.append(DeadlineWarning("warning", "voting_warn_delivery_soon", values))
    return warnings
