"""The JSON bodies of the group_rental API as msgspec Structs, so OpenAPI shows their shapes.

Requests (``…In``): Litestar decodes a body into one of these before the handler runs, so a wrong
type, a missing or unknown field, or a limit broken is answered with its JSON path (``api.py`` puts it
into the plugin's own error codes). The services still take plain dicts and check the meaning (a
date not in the future, an area with two decimals, a room name used twice), because the console's
forms call them too: the API hands them ``msgspec.to_builtins(data)``. An optional field left out
stays out (``UNSET``, or a default that ``omit_defaults`` drops), so the rules see the body as sent.

Responses (``…Out`` and the rest): the services build plain dicts; the API converts them here, so a
key missing or extra on either side is an error in the tests, never a silent change of the answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from plugins.group_rental.rules import MAX_OCCUPANTS, MAX_ROOMS


# --- request bodies -------------------------------------------------------------------------------
class In(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A request body: no field beyond these; a default left as it is is not passed on."""


# Texts of at most so many characters (the rules also refuse a blank one where they require one).
Text50 = Annotated[str, Meta(max_length=50)]
Text64 = Annotated[str, Meta(max_length=64)]
Text100 = Annotated[str, Meta(max_length=100)]
Text200 = Annotated[str, Meta(max_length=200)]
Text300 = Annotated[str, Meta(max_length=300)]
Text400 = Annotated[str, Meta(max_length=400)]
Text2000 = Annotated[str, Meta(max_length=2000)]


class CaseIn(In):
    """Open a case (``POST …/cases``)."""

    address: Text300
    source: str = "complaint"  #: complaint（投诉举报）or inspection（日常巡查）
    complaint: Text2000 | None = None
    party: Text200 | None = None
    estate: Text64 | None = None  #: the estate's code in the district


class RoomIn(In):
    name: Text50  #: unique in the flat
    designed_use: str  #: living, living_room, dining, hall, kitchen, bathroom, balcony, basement_storage
    usable_area_m2: str  #: a decimal string with at most two places: "12.50"
    let: bool
    occupants: Annotated[int, Meta(ge=0, le=MAX_OCCUPANTS)]
    occupants_family: bool = False
    partitioned: bool = False
    let_by_bed: bool = False
    daylight: bool = False
    ventilation: bool = False


class FlatIn(In):
    """The flat as found (``POST …/assess``, and ``flat`` of an inspection)."""

    collective_dormitory: bool
    agency_managed: bool
    rooms: Annotated[list[RoomIn], Meta(min_length=1, max_length=MAX_ROOMS)]


class InspectionIn(In):
    """Record an inspection (``POST …/cases/{case}/inspections``)."""

    inspected_on: date  #: not later than today
    inspectors: Annotated[list[Text50], Meta(min_length=1)]
    flat: FlatIn
    police_present: bool = False
    committee_present: bool = False
    property_present: bool = False
    notes: Text2000 = ""


class OrderIn(In):
    """Issue an order, correct a draft (``PATCH``) or supersede one. A field left out keeps what the
    order has (when issued: the case's party, the district's office, no number); ``null`` or ``""``
    clears it."""

    addressee: Text200 | UnsetType | None = UNSET
    issuing_office: Text200 | UnsetType | None = UNSET
    doc_number: Text64 | UnsetType | None = UNSET


class ServiceIn(In):
    """Record how an order was served (``POST …/orders/{number}/service``)."""

    method: str  #: signed（签收）or posted（张贴）
    served_at: datetime  #: with its offset: 2026-11-23T10:00:00+08:00
    received_by: Text100 | None = None  #: required when signed
    served_by: Text200 | None = None
    note: Text400 | None = None
    photos: list[str] = []  #: SHA-256 of photos already on the case; required when posted


class EscalationIn(In):
    """Hand the case over (``POST …/cases/{case}/escalation``)."""

    recipient: Text200 | None = None  #: the district housing department when left out


def given(data: In | None) -> dict[str, Any]:
    """A request body as the services take it: the fields sent (``{}`` for no body at all)."""
    return {} if data is None else msgspec.to_builtins(data)


# --- response bodies ------------------------------------------------------------------------------
class Out(msgspec.Struct, forbid_unknown_fields=True):
    """A response body: exactly these keys, in this order."""


class FindingOut(Out):
    criterion: int
    room: str | None
    detail: str
    article: str
    values: dict[str, Any]


class ExceptionOut(Out):
    room: str
    detail: str
    article: str
    kind: str


class DeterminationOut(Out):
    profile: str
    group_rental: bool
    findings: list[FindingOut]
    exceptions: list[ExceptionOut]


class CaseBrief(Out):
    case: str
    address: str
    estate: str
    source: str
    party: str
    status: str
    jurisdiction: str
    created_at: str | None


class OverdueCase(CaseBrief):
    deadline: str
    days_overdue: int


class CaseRules(Out):
    profile: str
    name: str
    rectification_days: int
    rectification_unit: str
    rectification_grade: str


class EscalationOut(Out):
    recipient: str
    sha256: str
    created_at: str
    created_by: str


class InspectionOut(Out):
    id: int
    kind: str
    inspected_on: str
    inspectors: list[str]
    police_present: bool
    committee_present: bool
    property_present: bool
    flat: dict[str, Any]
    determination: DeterminationOut
    group_rental: bool
    notes: str
    recorded_by: str


class ServiceOut(Out):
    method: str
    served_at: str
    received_by: str
    served_by: str
    photos: list[str]
    note: str
    recorded_by: str


class OrderOut(Out):
    number: int
    doc_number: str
    status: str
    addressee: str
    issuing_office: str
    issued_on: str
    deadline: str
    deadline_provisional: bool
    findings: list[FindingOut]
    legal_basis: list[str]
    superseded_by: int | None
    docx_sha256: str | None
    service: ServiceOut | None


class PhotoOut(Out):
    sha256: str
    purpose: str
    filename: str
    caption: str
    size: int


class CaseSummary(CaseBrief):
    complaint: str
    rules: CaseRules
    escalation: EscalationOut | None
    inspections: list[InspectionOut]
    orders: list[OrderOut]
    photos: list[PhotoOut]


class InspectionRecorded(Out):
    case: str
    inspection: int
    kind: str
    status: str
    determination: DeterminationOut


class PhotoKept(Out):
    sha256: str
    purpose: str
    size: int
    duplicate: bool


def shaped(value: Any, body: Any) -> Any:
    """A service's dict as the response Struct ``body`` (or a list of them, ``body`` then ``list[…]``)."""
    return msgspec.convert(value, body)
