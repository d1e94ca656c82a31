"""Request and response bodies of the housing_check API (msgspec Structs: OpenAPI shows their shapes).
``MemberIn`` and ``HouseholdIn`` are also what the list import (rules.intake) produces: one definition."""

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


# --- response bodies -------------------------------------------------------------------------------
# The services return plain dicts (the console's templates read them too); the API's handlers convert
# them to these Structs, so that OpenAPI shows the real shapes. A household's members come back as
# ``MemberIn`` (the same three fields).


class OfficerOut(msgspec.Struct):
    username: str
    display_name: str | None


class EntrustmentOut(msgspec.Struct):
    """An entrustment without personal data, with its due date and how it stands today."""

    entrustment: str
    entrusting_office: str
    scheme: str
    scheme_label: str
    letter_no: str
    received_on: str
    status: str
    status_label: str
    households: int
    reported_on: str | None
    met_deadline: bool | None
    due_on: str
    provisional: bool
    provisional_years: list[int]
    due_note: str
    days_left: int | None
    overdue: bool
    state: str


class ReportIssuedOut(EntrustmentOut):
    sha256: str


class HouseholdRowOut(msgspec.Struct):
    household: int
    household_no: str
    applicant: str
    applicant_id: str  #: masked
    members: int
    checked: bool


class EntrustmentDetailOut(EntrustmentOut):
    officers: list[OfficerOut]
    household_list: list[HouseholdRowOut]
    can_supervise: bool


class OfficersOut(msgspec.Struct):
    entrustment: str
    officers: list[OfficerOut]


class AttachmentOut(msgspec.Struct):
    attachment: int
    filename: str
    size: int
    sha256: str


class StepOut(msgspec.Struct):
    step: int
    kind: str
    kind_label: str
    date: str
    officer: str | None
    result: str
    result_label: str
    finding: str
    attachments: list[AttachmentOut]


class DwellingOut(msgspec.Struct):
    dwelling: int
    kind: str
    kind_label: str
    address: str
    holder: str
    area: str
    area_type: str
    area_type_label: str
    source: str


class CountedDwellingOut(msgspec.Struct):
    kind: str
    address: str
    area: str
    area_type: str
    counted_area: str
    source: str
    holder: str


class ComputationOut(msgspec.Struct):
    """rules.Computation.to_dict(): exact decimals as strings, and the computation step by step."""

    scheme: str
    basis: str
    members: int
    dwellings: list[CountedDwellingOut]
    total: str
    per_person: str
    per_person_exact: bool
    steps: list[str]


class HouseholdEntrustmentOut(msgspec.Struct):
    entrustment: str
    entrusting_office: str
    letter_no: str
    scheme: str
    scheme_label: str
    status: str
    status_label: str
    area_basis: str
    area_basis_label: str
    officers: list[OfficerOut]


class HouseholdDetailOut(msgspec.Struct):
    household: int
    household_no: str
    members: list[MemberIn]
    steps: list[StepOut]
    checked: bool
    dwellings: list[DwellingOut]
    computation: ComputationOut | None
    computation_problem: str
    entrustment: HouseholdEntrustmentOut


class StepRecordedOut(msgspec.Struct):
    step: int
    kind: str
    result: str
    attachments: list[AttachmentOut]


class DwellingAddedOut(msgspec.Struct):
    dwelling: int
    area: str


class DwellingWithdrawnOut(msgspec.Struct):
    dwelling: int
    withdrawn: bool
