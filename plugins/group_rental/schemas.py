"""The JSON bodies the group_rental API answers with, as msgspec Structs (so OpenAPI shows their
shapes). The services build plain dicts; the API converts them here, so a key missing or extra on
either side is an error in the tests, never a silent change of the answer."""

from __future__ import annotations

from typing import Any

import msgspec


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
