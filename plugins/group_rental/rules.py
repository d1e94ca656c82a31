"""The group-rental determination engine: pure and synchronous (no database), shared by the console,
the API and ``wuye group_rental assess``.

Areas are integer hundredths of a m² and every comparison is exact integer arithmetic:

* criterion 4 (人均居住面积低于 N): a let room breaches when ``area < N × occupants`` — exactly N per
  person is lawful;
* criterion 5 (居住人数超过 N): a let room breaches when ``occupants > N`` — exactly N is lawful;
* the living-room exception (使用面积 N 以上): ``area >= N`` qualifies.

Each finding carries the article of the profile value that decided it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from core import BadRequest, Jurisdiction, format_area
from plugins.group_rental.messages import FIELD_PROBLEMS, FINDINGS, USES

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  #: a name is one line of printable text

PLUGIN = "group_rental"
DESIGNED_USES = tuple(USES)
LIVING_SPACES = ("living", "living_room", "dining", "hall")
_AREA_RE = re.compile(r"^\d{1,6}(\.\d{1,2})?$")
MAX_ROOMS = 60
MAX_OCCUPANTS = 999


# --- input ----------------------------------------------------------------------------------------
class FieldError(BadRequest):
    """A field that is missing or malformed: ``field`` is its JSON path, ``problem`` the Chinese words
    for what is wrong with it (the console puts both beside the form; the API sends ``details.field``)."""

    def __init__(self, path: str, problem: str, *, code: str = "group_rental_bad_field", **fmt: Any) -> None:
        text = FIELD_PROBLEMS[problem].format(**fmt)
        super().__init__(code, field=path, problem=text, details={"field": path})
        self.field = path
        self.problem = text


@dataclass(frozen=True)
class Room:
    name: str
    designed_use: str
    area_centi: int
    let: bool
    occupants: int
    occupants_family: bool = False
    partitioned: bool = False
    let_by_bed: bool = False
    daylight: bool = False
    ventilation: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "designed_use": self.designed_use,
            "usable_area_m2": format_area(self.area_centi),
            "let": self.let,
            "occupants": self.occupants,
            "occupants_family": self.occupants_family,
            "partitioned": self.partitioned,
            "let_by_bed": self.let_by_bed,
            "daylight": self.daylight,
            "ventilation": self.ventilation,
        }


@dataclass(frozen=True)
class Flat:
    collective_dormitory: bool
    agency_managed: bool
    rooms: tuple[Room, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "collective_dormitory": self.collective_dormitory,
            "agency_managed": self.agency_managed,
            "rooms": [r.to_dict() for r in self.rooms],
        }


FLAT_FIELDS = {"collective_dormitory", "agency_managed", "rooms"}
ROOM_FIELDS = {
    "name",
    "designed_use",
    "usable_area_m2",
    "let",
    "occupants",
    "occupants_family",
    "partitioned",
    "let_by_bed",
    "daylight",
    "ventilation",
}
OPTIONAL_FLAGS = ("occupants_family", "partitioned", "let_by_bed", "daylight", "ventilation")


def parse_area(value: Any, path: str) -> int:
    """A decimal string with at most two places (``"12.5"``) → integer hundredths of a m² (> 0)."""
    if not isinstance(value, str) or not _AREA_RE.match(value.strip()):
        raise FieldError(path, "area")
    centi = int((Decimal(value.strip()) * 100).to_integral_exact())
    if centi <= 0:
        raise FieldError(path, "area")
    return centi


def _bool(data: dict[str, Any], key: str, path: str, default: bool | None = None) -> bool:
    if key not in data:
        if default is None:
            raise FieldError(f"{path}{key}", "missing")
        return default
    value = data[key]
    if not isinstance(value, bool):
        raise FieldError(f"{path}{key}", "bool")
    return value


def _check_keys(data: dict[str, Any], allowed: set[str], path: str) -> None:
    for key in data:
        if key not in allowed:
            raise FieldError(f"{path}{key}", "unknown")


def parse_flat(data: Any, prefix: str = "") -> Flat:
    """Validate an inspection's flat (the ``assess`` input file); a :class:`FieldError` names the field."""
    if not isinstance(data, dict):
        raise FieldError(prefix.rstrip(".") or "$", "object")
    _check_keys(data, FLAT_FIELDS, prefix)
    dormitory = _bool(data, "collective_dormitory", prefix)
    agency = _bool(data, "agency_managed", prefix)
    rooms_raw = data.get("rooms")
    if "rooms" not in data:
        raise FieldError(f"{prefix}rooms", "missing")
    if not isinstance(rooms_raw, list) or not rooms_raw or len(rooms_raw) > MAX_ROOMS:
        raise FieldError(f"{prefix}rooms", "list")
    rooms: list[Room] = []
    seen: set[str] = set()
    for index, raw in enumerate(rooms_raw):
        path = f"{prefix}rooms[{index}]."
        if not isinstance(raw, dict):
            raise FieldError(path.rstrip("."), "object")
        _check_keys(raw, ROOM_FIELDS, path)
        name = raw.get("name")
        if "name" not in raw:
            raise FieldError(f"{path}name", "missing")
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > 50:
            raise FieldError(f"{path}name", "text", max=50)
        if _CONTROL.search(name):  # the CLI prints it; the web refuses it before the rules see it
            raise FieldError(f"{path}name", "control")
        name = name.strip()
        if name in seen:
            raise FieldError(f"{path}name", "duplicate")
        seen.add(name)
        if "designed_use" not in raw:
            raise FieldError(f"{path}designed_use", "missing")
        use = raw["designed_use"]
        if use not in DESIGNED_USES:
            raise FieldError(f"{path}designed_use", "use")
        if "usable_area_m2" not in raw:
            raise FieldError(f"{path}usable_area_m2", "missing")
        area = parse_area(raw["usable_area_m2"], f"{path}usable_area_m2")
        let = _bool(raw, "let", path)
        if "occupants" not in raw:
            raise FieldError(f"{path}occupants", "missing")
        occupants = raw["occupants"]
        if (
            isinstance(occupants, bool)
            or not isinstance(occupants, int)
            or not 0 <= occupants <= MAX_OCCUPANTS
        ):
            raise FieldError(f"{path}occupants", "int")
        flags = {key: _bool(raw, key, path, default=False) for key in OPTIONAL_FLAGS}
        rooms.append(Room(name, use, area, let, occupants, **flags))
    return Flat(dormitory, agency, tuple(rooms))


# --- the profile's rules --------------------------------------------------------------------------
@dataclass(frozen=True)
class LivingRoomException:
    min_area_centi: int
    daylight: bool
    ventilation: bool
    once_per_flat: bool
    excluded_uses: tuple[str, ...]
    article: str


@dataclass(frozen=True)
class GroupRentalRules:
    """A profile's group-rental values, each with the article it comes from (``articles[key]``)."""

    profile: str
    collective_dormitory: bool
    partition_or_bed: bool
    forbidden_spaces: tuple[str, ...]
    min_area_per_person_centi: int | None
    area_basis: str
    max_persons_per_room: int | None
    family_exception: bool
    living_room: LivingRoomException | None
    rectification_days: int
    rectification_unit: str
    articles: dict[str, str] = field(default_factory=dict)
    grades: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_profile(cls, profile: Jurisdiction) -> GroupRentalRules:
        """The profile's values as they are now (the API's dry run and the CLI)."""
        return cls.from_snapshot(profile.code, snapshot(profile))

    @classmethod
    def from_snapshot(cls, code: str, data: dict[str, Any]) -> GroupRentalRules:
        """The values a case was opened under (:func:`snapshot`; older cases stored the rules alone)."""
        rules: dict[str, dict[str, Any]] = data.get("rules", data)

        def value(key: str, default: Any) -> Any:
            found = rules.get(key)
            return default if found is None or found.get("value") is None else found["value"]

        articles = {key: rule["source"]["article"] for key, rule in rules.items()}
        grades = {key: rule["source"]["grade"] for key, rule in rules.items()}
        exception = value("living_room_exception", None)
        period = value("rectification_period", {"days": 15, "unit": "calendar"})
        return cls(
            profile=code,
            collective_dormitory=bool(value("collective_dormitory", False)),
            partition_or_bed=bool(value("partition_or_bed", True)),
            forbidden_spaces=tuple(value("forbidden_spaces", ())),
            min_area_per_person_centi=value("min_area_per_person_centi", None),
            area_basis=value("area_basis", "usable_area_of_living_rooms"),
            max_persons_per_room=value("max_persons_per_room", None),
            family_exception=bool(value("family_exception", True)),
            living_room=(
                LivingRoomException(
                    min_area_centi=int(exception["min_area_centi"]),
                    daylight=bool(exception.get("daylight", True)),
                    ventilation=bool(exception.get("ventilation", True)),
                    once_per_flat=bool(exception.get("once_per_flat", True)),
                    excluded_uses=tuple(exception.get("excluded_uses", ("dining", "hall"))),
                    article=articles.get("living_room_exception", ""),
                )
                if exception
                else None
            ),
            rectification_days=int(period["days"]),
            rectification_unit=str(period["unit"]),
            articles=articles,
            grades=grades,
        )

    def article(self, key: str) -> str:
        return self.articles.get(key, "")


def snapshot(profile: Jurisdiction) -> dict[str, Any]:
    """The profile's group-rental values with their sources, as JSON: stored on a case when it is opened
    so that a later change of the profile (or of the district's choice of profile) never alters it."""
    return {
        "name": profile.name,
        "rules": {key: rule.to_dict() for key, rule in sorted(profile.rules.get(PLUGIN, {}).items())},
    }


# --- the determination ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    criterion: int
    room: str | None
    detail: str
    article: str
    values: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "room": self.room,
            "detail": self.detail,
            "article": self.article,
            "values": self.values,
        }


@dataclass(frozen=True)
class Exception_:
    room: str
    detail: str
    article: str
    kind: str  #: family | living_room

    def to_dict(self) -> dict[str, Any]:
        return {"room": self.room, "detail": self.detail, "article": self.article, "kind": self.kind}


@dataclass(frozen=True)
class Determination:
    profile: str
    findings: tuple[Finding, ...]
    exceptions: tuple[Exception_, ...]

    @property
    def group_rental(self) -> bool:
        return bool(self.findings)

    @property
    def criteria(self) -> list[int]:
        return sorted({f.criterion for f in self.findings})

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "group_rental": self.group_rental,
            "findings": [f.to_dict() for f in self.findings],
            "exceptions": [e.to_dict() for e in self.exceptions],
        }


def per_person(area_centi: int, occupants: int) -> str:
    value = (Decimal(area_centi) / Decimal(100) / Decimal(occupants)).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN
    )
    return f"{value}"


def _refusals(room: Room, flat: Flat, rules: GroupRentalRules, used_by: str | None) -> list[str]:
    """Why the agency-managed living-room exception does not cover this partitioned room ([] = it does)."""
    exception = rules.living_room
    if exception is None:
        return [FINDINGS["refused_profile"]] if flat.agency_managed and room.designed_use != "living" else []
    reasons: list[str] = []
    if room.designed_use != "living_room":
        reasons.append(FINDINGS["refused_use"].format(use=USES[room.designed_use]))
        return reasons
    if not flat.agency_managed:
        reasons.append(FINDINGS["refused_not_agency"])
    if room.let_by_bed:
        reasons.append(FINDINGS["refused_bed"])
    if room.area_centi < exception.min_area_centi:
        reasons.append(
            FINDINGS["refused_area"].format(
                area=format_area(room.area_centi), min=format_area(exception.min_area_centi)
            )
        )
    if exception.daylight and not room.daylight:
        reasons.append(FINDINGS["refused_daylight"])
    if exception.ventilation and not room.ventilation:
        reasons.append(FINDINGS["refused_ventilation"])
    if exception.once_per_flat and used_by is not None:
        reasons.append(FINDINGS["refused_once"].format(other=used_by))
    return reasons


def assess(flat: Flat, rules: GroupRentalRules) -> Determination:
    """Every criterion of the profile against the flat; any one finding makes it a group rental."""
    findings: list[Finding] = []
    exceptions: list[Exception_] = []
    if rules.collective_dormitory and flat.collective_dormitory:
        findings.append(Finding(1, None, FINDINGS["c1"], rules.article("collective_dormitory")))
    living_room_used_by: str | None = None
    for room in flat.rooms:
        if not room.let:
            continue
        use = USES[room.designed_use]
        # criterion 2: partitioned living space, or let by the bed
        if rules.partition_or_bed and room.partitioned and room.designed_use in LIVING_SPACES:
            refusals: list[str] = []
            excepted = False
            if room.designed_use != "living":  # a bedroom partitioned has no exception at all
                refusals = _refusals(room, flat, rules, living_room_used_by)
                excepted = rules.living_room is not None and not refusals
            if excepted:
                assert rules.living_room is not None
                living_room_used_by = room.name
                exceptions.append(
                    Exception_(
                        room.name,
                        FINDINGS["living_room_applied"].format(
                            area=format_area(room.area_centi),
                            min=format_area(rules.living_room.min_area_centi),
                        ),
                        rules.living_room.article,
                        "living_room",
                    )
                )
            else:
                detail = FINDINGS["c2_partitioned"].format(use=use)
                if refusals:
                    detail += "；" + "；".join(refusals)
                findings.append(
                    Finding(
                        2,
                        room.name,
                        detail,
                        rules.article("partition_or_bed"),
                        {"designed_use": room.designed_use, "refusals": refusals},
                    )
                )
        if rules.partition_or_bed and room.let_by_bed:
            findings.append(
                Finding(
                    2, room.name, FINDINGS["c2_bed"], rules.article("partition_or_bed"), {"let_by_bed": True}
                )
            )
        # criterion 3: a non-living space let for living in
        if room.designed_use in rules.forbidden_spaces:
            findings.append(
                Finding(
                    3,
                    room.name,
                    FINDINGS["c3"].format(use=use),
                    rules.article("forbidden_spaces"),
                    {"designed_use": room.designed_use},
                )
            )
            continue  # a non-living space has no living area to divide (criteria 4 and 5 do not apply)
        if room.occupants <= 0:
            continue
        # criterion 4: living area per person, strictly below the minimum
        minimum = rules.min_area_per_person_centi
        if minimum is not None and room.area_centi < minimum * room.occupants:
            findings.append(
                Finding(
                    4,
                    room.name,
                    FINDINGS["c4"].format(
                        per_person=per_person(room.area_centi, room.occupants),
                        min=format_area(minimum),
                        area=format_area(room.area_centi),
                        occupants=room.occupants,
                    ),
                    rules.article("min_area_per_person_centi"),
                    {
                        "usable_area_m2": format_area(room.area_centi),
                        "occupants": room.occupants,
                        "area_per_person_m2": per_person(room.area_centi, room.occupants),
                        "min_area_per_person_m2": format_area(minimum),
                    },
                )
            )
        # criterion 5: persons per room, strictly more than the maximum
        maximum = rules.max_persons_per_room
        if maximum is not None and room.occupants > maximum:
            if room.occupants_family and rules.family_exception:
                exceptions.append(
                    Exception_(
                        room.name,
                        FINDINGS["c5_family_exception"].format(occupants=room.occupants, max=maximum),
                        rules.article("family_exception"),
                        "family",
                    )
                )
            else:
                findings.append(
                    Finding(
                        5,
                        room.name,
                        FINDINGS["c5"].format(occupants=room.occupants, max=maximum),
                        rules.article("max_persons_per_room"),
                        {"occupants": room.occupants, "max_persons_per_room": maximum},
                    )
                )
    findings.sort(key=lambda f: f.criterion)
    return Determination(rules.profile, tuple(findings), tuple(exceptions))


def assess_data(data: Any, profile: Jurisdiction) -> Determination:
    """Parse and assess in one step (the CLI and the API's dry run)."""
    return assess(parse_flat(data), GroupRentalRules.from_profile(profile))
