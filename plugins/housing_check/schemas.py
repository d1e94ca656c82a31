"""Request bodies of the housing_check API (msgspec Structs: OpenAPI shows their shapes). ``MemberIn`` and
``HouseholdIn`` are also what the list import (rules.intake) produces: one definition."""

from __future__ import annotations

import msgspec


class MemberIn(msgspec.Struct):
    name: str
    id_number: str
    relation: str


class HouseholdIn(msgspec.Struct):
    household_no: str
    members: list[MemberIn]


class EntrustmentIn(msgspec.Struct):
    entrusting_office: str
    scheme: str
    letter_no: str
    received_on: str
    households: list[HouseholdIn]


class OfficersIn(msgspec.Struct):
    officers: list[str]


class WithdrawIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


class StepIn(msgspec.Struct):
    kind: str
    date: str
    result: str
    finding: str
    officer: str | None = None


class DwellingIn(msgspec.Struct):
    kind: str
    address: str
    area: str
    area_type: str
    source: str
    holder: str = ""
    step: int | None = None
