"""Pure, synchronous rules of a housing-status check: identity numbers, the order of the steps, areas
and the household's area computation (exact decimals, never floats).

Which area type counts for a scheme, and any conversion between area types, come from the
jurisdiction profile (``rules["housing_check"]["area_basis"]`` and ``["area_conversion"]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core import BadRequest
from plugins.housing_check.messages import label

SCHEMES = ("low_rent", "shared_ownership")
STEP_KINDS = ("electronic", "archive", "visit")  #: the seed's order (000 §12 程序 2–4)
STEP_RESULTS: dict[str, tuple[str, ...]] = {
    "electronic": ("resolved", "unresolved"),
    "archive": ("resolved", "incomplete", "none"),
    "visit": ("resolved",),
}
DWELLING_KINDS = ("home", "other", "compensated")
AREA_TYPES = ("building", "living", "usable")
DEFAULT_AREA_BASIS = {"low_rent": "building", "shared_ownership": "building"}

_AREA_RE = re.compile(r"^\d{1,7}(\.\d{1,2})?$")
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
CENT = Decimal("0.01")


def valid_id_number(value: str) -> bool:
    """An 18-character resident identity number (GB 11643-1999) with a correct check character."""
    text = (value or "").strip().upper()
    if not _ID_RE.match(text):
        return False
    return id_check_character(text[:17]) == text[17]


def id_check_character(body: str) -> str:
    """The 18th character of an identity number from its first 17 digits (GB 11643, ISO 7064 MOD 11-2)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def parse_area(value: str) -> Decimal | None:
    """``"56.7"`` → ``Decimal("56.7")``; None unless a positive number with at most two decimals."""
    text = (value or "").strip()
    if not _AREA_RE.match(text):
        return None
    area = Decimal(text)
    return area if area > 0 else None


def check_step(kind: str, result: str, earlier: Sequence[Mapping[str, Any]]) -> None:
    """Refuse a step out of the seed's order.

    Archives are consulted only when the electronic comparison could not settle the matter; a home
    visit only when the archives are missing or incomplete (000 §12 程序 3–4).
    """
    if kind not in STEP_KINDS:
        raise BadRequest("housing_check_bad_step_kind", value=kind)
    allowed = STEP_RESULTS[kind]
    if result not in allowed:
        raise BadRequest(
            "housing_check_bad_result",
            value=result,
            allowed="、".join(f"{r}（{label('result.' + r)}）" for r in allowed),
        )
    results = {(s["kind"], s["result"]) for s in earlier}
    if kind == "archive" and ("electronic", "unresolved") not in results:
        raise BadRequest("housing_check_step_order_archive")
    if kind == "visit" and not results & {("archive", "incomplete"), ("archive", "none")}:
        raise BadRequest("housing_check_step_order_visit")


def household_checked(steps: Iterable[Mapping[str, Any]]) -> bool:
    return any(s["result"] == "resolved" for s in steps)


@dataclass(frozen=True)
class AreaRules:
    """Which area type a scheme counts, and conversion factors ``"from->to"`` (exact decimals)."""

    basis: Mapping[str, str]
    conversion: Mapping[str, str] = field(default_factory=dict)
    source: str = ""

    @classmethod
    def from_profile(cls, profile: Any) -> AreaRules:
        found = profile.rules.get("housing_check", {}).get("area_basis")
        basis = found.value if found is not None else DEFAULT_AREA_BASIS
        conversion = profile.rule("housing_check", "area_conversion", {})
        return cls(dict(basis), dict(conversion), found.source.article if found is not None else "")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AreaRules:
        return cls(
            dict(data.get("basis") or DEFAULT_AREA_BASIS),
            dict(data.get("conversion") or {}),
            data.get("source", ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"basis": dict(self.basis), "conversion": dict(self.conversion), "source": self.source}


@dataclass(frozen=True)
class Dwelling:
    kind: str
    address: str
    area: Decimal
    area_type: str
    source: str
    holder: str = ""


@dataclass(frozen=True)
class Computation:
    scheme: str
    basis: str
    members: int
    counted: tuple[tuple[Dwelling, Decimal], ...]
    total: Decimal
    per_person: Decimal  #: rounded half-up to 0.01 m²
    per_person_exact: bool
    steps: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "basis": self.basis,
            "members": self.members,
            "dwellings": [
                {
                    "kind": d.kind,
                    "address": d.address,
                    "area": str(d.area),
                    "area_type": d.area_type,
                    "counted_area": str(counted),
                    "source": d.source,
                    "holder": d.holder,
                }
                for d, counted in self.counted
            ],
            "total": str(self.total),
            "per_person": str(self.per_person),
            "per_person_exact": self.per_person_exact,
            "steps": list(self.steps),
        }


def conversion_factor(rules: AreaRules, scheme: str, area_type: str, address: str) -> Decimal | None:
    """None when ``area_type`` is the one the scheme counts; else the profile's exact factor, or an
    error telling the officer to record the area in the counted type."""
    basis = rules.basis.get(scheme, "building")
    if area_type == basis:
        return None
    factor = rules.conversion.get(f"{area_type}->{basis}")
    if factor is None:
        raise BadRequest(
            "housing_check_no_conversion",
            scheme=label(f"scheme.{scheme}"),
            basis=label(f"area.{basis}"),
            area_type=label(f"area.{area_type}"),
            address=address,
        )
    return Decimal(str(factor))


def compute(scheme: str, dwellings: Sequence[Dwelling], members: int, rules: AreaRules) -> Computation:
    """The household's total housing area and area per person, shown step by step.

    Every dwelling counts — the home, other homes of any member, and homes given up for cash
    compensation (000 §12 程序 5–6) — in the scheme's area type; another type is converted only by a
    factor the profile gives, else the officer must record the area in the counted type.
    """
    basis = rules.basis.get(scheme, "building")
    steps = [
        label(
            "calc.basis",
            scheme=label(f"scheme.{scheme}"),
            basis=label(f"area.{basis}"),
            source=rules.source or "—",
        )
    ]
    counted: list[tuple[Dwelling, Decimal]] = []
    for number, dwelling in enumerate(dwellings, start=1):
        area = dwelling.area
        line = label(
            "calc.dwelling",
            n=number,
            kind=label(f"dwelling.{dwelling.kind}"),
            address=dwelling.address,
            area=area,
            area_type=label(f"area.{dwelling.area_type}"),
            source=dwelling.source,
        )
        factor = conversion_factor(rules, scheme, dwelling.area_type, dwelling.address)
        if factor is not None:
            converted = area * factor
            line += label(
                "calc.convert",
                area=area,
                factor=factor,
                converted=converted,
                frm=label(f"area.{dwelling.area_type}"),
                to=label(f"area.{basis}"),
            )
            area = converted
        steps.append(line)
        counted.append((dwelling, area))
    total = sum((a for _, a in counted), Decimal(0))
    if counted:
        terms = " + ".join(str(a) for _, a in counted)
        steps.append(label("calc.total", terms=terms, total=total))
    else:
        steps.append(label("calc.none"))
    if members <= 0:
        raise BadRequest("housing_check_no_households")
    exact = total / members
    per_person = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    is_exact = per_person == exact
    steps.append(
        label("calc.per_person", total=total, members=members, per_person=per_person)
        + ("" if is_exact else label("calc.rounded"))
    )
    return Computation(scheme, basis, members, tuple(counted), total, per_person, is_exact, tuple(steps))
