"""The housing_check JSON API (mounted under /d/{district}/housing_check/ by core.district_router): each
handler parses the request, calls one use case and shapes the response."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import (
    ATTACHMENT,
    DOCX,
    XLSX,
    Actor,
    BadRequest,
    BodyProblem,
    Jurisdiction,
    NotFound,
    Runtime,
    Upload,
    body_error_handlers,
    download,
    get_district,
)
from core import attachment as served_file  # the route's `attachment` path parameter takes the name
from plugins.housing_check.rules.intake import parse_list, validate_people
from plugins.housing_check.schemas import (
    AttachmentOut,
    DwellingAddedOut,
    DwellingIn,
    DwellingWithdrawnOut,
    EntrustmentDetailOut,
    EntrustmentIn,
    EntrustmentOut,
    HouseholdDetailOut,
    OfficersIn,
    OfficersOut,
    ReportIssuedOut,
    StepIn,
    StepRecordedOut,
    WithdrawIn,
)
from plugins.housing_check.services import dwellings, entrustments, households, officers, reports
from plugins.housing_check.web.roles import ASSIGNED


def profile_of(runtime: Runtime, info: Any) -> Jurisdiction:
    """The jurisdiction profile the district is governed by (its timezone, deadlines, area rules)."""
    return runtime.jurisdictions.get(info.jurisdiction_code)


def object_id(value: str, code: str = "housing_check_household_not_found") -> int:
    """A numeric path segment; anything else names nothing (404 with the plugin's own code)."""
    if not value.isdigit() or len(value) > 18:
        raise NotFound(code)
    return int(value)


def letter_body_error(problem: BodyProblem) -> BadRequest:
    """A wrong entrustment letter is ``validation_failed`` whatever is wrong with it, malformed JSON
    included (as it was when this handler decoded the body itself; the core says ``invalid_json``)."""
    where = "" if problem.field == "$" else f"字段 {problem.field} "
    return BadRequest("validation_failed", detail=where + problem.words, details={"field": problem.field})


ENTRUSTMENT_BODY = body_error_handlers(letter_body_error)


@dataclass
class ListForm:
    """A household list sent as a file (``data``: CSV or XLSX) with the letter's fields."""

    data: UploadFile | None = None
    entrusting_office: str | None = None
    scheme: str | None = None
    letter_no: str | None = None
    received_on: str | None = None


@dataclass
class AttachmentForm:
    """One attachment of a step (``data``: the file)."""

    data: UploadFile | None = None


ListBody = Annotated[ListForm, Body(media_type=RequestEncodingType.MULTI_PART)]
AttachmentBody = Annotated[AttachmentForm, Body(media_type=RequestEncodingType.MULTI_PART)]


class HousingCheckController(Controller):
    """Entrustments, their households and the report."""

    @get("/households-template.xlsx", operation_id="HousingCheckHouseholdsTemplate", media_type=XLSX)
    async def households_template(self) -> Response[bytes]:
        """The fill-in template of the list of households (XLSX: headings, an example row, 填写说明)."""
        content, filename = entrustments.households_template()
        return download(content, filename, XLSX)

    @get("/entrustments.xlsx", operation_id="HousingCheckExportEntrustments", media_type=XLSX, opt=ASSIGNED)
    async def export_entrustments(self, runtime: Runtime, actor: Actor, district: str) -> Response[bytes]:
        """The entrustments the caller may see, as an XLSX."""
        info = await get_district(district)
        content, filename = await entrustments.entrustments_xlsx(info, actor, profile_of(runtime, info))
        return download(content, filename, XLSX)

    @get("/entrustments", operation_id="HousingCheckListEntrustments", opt=ASSIGNED)
    async def list_entrustments(self, runtime: Runtime, actor: Actor, district: str) -> list[EntrustmentOut]:
        info = await get_district(district)
        return msgspec.convert(
            await entrustments.list_entrustments(info, actor, profile_of(runtime, info)), list[EntrustmentOut]
        )

    @post(
        "/entrustments",
        operation_id="HousingCheckCreateEntrustment",
        status_code=201,
        exception_handlers=ENTRUSTMENT_BODY,
    )
    async def create(
        self, runtime: Runtime, actor: Actor, district: str, data: EntrustmentIn
    ) -> EntrustmentOut:
        info = await get_district(district)
        rows = []
        number = 0
        for household in data.households:
            for member in household.members:
                number += 1
                rows.append(
                    (
                        number,
                        {
                            "household_no": household.household_no.strip(),
                            "name": member.name.strip(),
                            "id_number": member.id_number.strip(),
                            "relation": member.relation.strip(),
                        },
                    )
                )
        parsed = validate_people(rows)
        letter = msgspec.structs.asdict(data)
        return msgspec.convert(
            await entrustments.create_entrustment(info, profile_of(runtime, info), actor, letter, parsed),
            EntrustmentOut,
        )

    @post("/entrustments/import", operation_id="HousingCheckImportEntrustment", status_code=201)
    async def import_list(
        self, runtime: Runtime, actor: Actor, district: str, data: ListBody
    ) -> EntrustmentOut:
        info = await get_district(district)
        upload = data.data
        if not isinstance(upload, UploadFile):
            raise BadRequest("housing_check_file_empty")
        content = await upload.read()
        letter = {k: getattr(data, k) for k in ("entrusting_office", "scheme", "letter_no", "received_on")}
        parsed = parse_list(content, upload.filename or "list.csv")
        return msgspec.convert(
            await entrustments.create_entrustment(
                info,
                profile_of(runtime, info),
                actor,
                letter,
                parsed,
                source_filename=upload.filename or "",
                source_sha256=hashlib.sha256(content).hexdigest(),
            ),
            EntrustmentOut,
        )

    @get("/entrustments/{entrustment:str}", operation_id="HousingCheckGetEntrustment", opt=ASSIGNED)
    async def get_entrustment(
        self, runtime: Runtime, actor: Actor, district: str, entrustment: str
    ) -> EntrustmentDetailOut:
        info = await get_district(district)
        return msgspec.convert(
            await entrustments.entrustment_detail(info, profile_of(runtime, info), actor, entrustment),
            EntrustmentDetailOut,
        )

    @post(
        "/entrustments/{entrustment:str}/officers", operation_id="HousingCheckAssignOfficers", status_code=200
    )
    async def assign(self, actor: Actor, district: str, entrustment: str, data: OfficersIn) -> OfficersOut:
        info = await get_district(district)
        return msgspec.convert(
            await officers.assign_officers(info, actor, entrustment, data.officers), OfficersOut
        )

    @delete(
        "/entrustments/{entrustment:str}/officers/{username:str}",
        operation_id="HousingCheckUnassignOfficer",
        status_code=200,
    )
    async def unassign(self, actor: Actor, district: str, entrustment: str, username: str) -> OfficersOut:
        info = await get_district(district)
        return msgspec.convert(
            await officers.unassign_officer(info, actor, entrustment, username), OfficersOut
        )

    @get(
        "/entrustments/{entrustment:str}/households/{household:str}",
        operation_id="HousingCheckGetHousehold",
        opt=ASSIGNED,
    )
    async def get_household(
        self, actor: Actor, district: str, entrustment: str, household: str
    ) -> HouseholdDetailOut:
        info = await get_district(district)
        return msgspec.convert(
            await households.household_detail(info, actor, entrustment, object_id(household)),
            HouseholdDetailOut,
        )

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/steps",
        operation_id="HousingCheckRecordStep",
        status_code=201,
        opt=ASSIGNED,
    )
    async def record_step(
        self,
        runtime: Runtime,
        actor: Actor,
        district: str,
        entrustment: str,
        household: str,
        data: StepIn,
    ) -> StepRecordedOut:
        info = await get_district(district)
        return msgspec.convert(
            await households.record_step(
                info,
                profile_of(runtime, info),
                actor,
                entrustment,
                object_id(household),
                kind=data.kind,
                step_date=data.date,
                result=data.result,
                finding=data.finding,
                officer=data.officer,
            ),
            StepRecordedOut,
        )

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/steps/{step:str}/attachments",
        operation_id="HousingCheckAttach",
        status_code=201,
        request_max_body_size=households.MAX_BODY_BYTES,
        opt=ASSIGNED,
    )
    async def attach(
        self, actor: Actor, district: str, entrustment: str, household: str, step: str, data: AttachmentBody
    ) -> AttachmentOut:
        info = await get_district(district)
        upload = data.data
        if not isinstance(upload, UploadFile):
            raise BadRequest("housing_check_attachment_empty")
        stored = await households.add_attachments(
            info,
            actor,
            entrustment,
            object_id(household),
            object_id(step, "housing_check_step_not_found"),
            [
                Upload(
                    filename=upload.filename or "",
                    content=await upload.read(),
                    media_type=upload.content_type,
                )
            ],
        )
        return msgspec.convert(stored[0], AttachmentOut)

    @get(
        "/entrustments/{entrustment:str}/households/{household:str}/attachments/{attachment:str}",
        operation_id="HousingCheckDownloadAttachment",
        media_type=ATTACHMENT,
        opt=ASSIGNED,
    )
    async def download_attachment(
        self, actor: Actor, district: str, entrustment: str, household: str, attachment: str
    ) -> Response[bytes]:
        info = await get_district(district)
        found = await households.get_attachment(
            info,
            actor,
            entrustment,
            object_id(household),
            object_id(attachment, "housing_check_attachment_not_found"),
        )
        return served_file(bytes(found["content"]), found["filename"])

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/dwellings",
        operation_id="HousingCheckAddDwelling",
        status_code=201,
        opt=ASSIGNED,
    )
    async def add_dwelling(
        self, actor: Actor, district: str, entrustment: str, household: str, data: DwellingIn
    ) -> DwellingAddedOut:
        info = await get_district(district)
        return msgspec.convert(
            await dwellings.add_dwelling(
                info, actor, entrustment, object_id(household), **msgspec.structs.asdict(data)
            ),
            DwellingAddedOut,
        )

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/dwellings/{dwelling:str}/withdraw",
        operation_id="HousingCheckWithdrawDwelling",
        status_code=200,
        opt=ASSIGNED,
    )
    async def withdraw_dwelling(
        self, actor: Actor, district: str, entrustment: str, household: str, dwelling: str, data: WithdrawIn
    ) -> DwellingWithdrawnOut:
        """Remove a dwelling entered by mistake (reason required; the audit log keeps what it was)."""
        info = await get_district(district)
        dwelling_id = object_id(dwelling, "housing_check_dwelling_not_found")
        return msgspec.convert(
            await dwellings.withdraw_dwelling(
                info, actor, entrustment, object_id(household), dwelling_id, data.reason
            ),
            DwellingWithdrawnOut,
        )

    @post(
        "/entrustments/{entrustment:str}/report",
        operation_id="HousingCheckIssueReport",
        status_code=201,
        opt=ASSIGNED,
    )
    async def issue(self, runtime: Runtime, actor: Actor, district: str, entrustment: str) -> ReportIssuedOut:
        info = await get_district(district)
        return msgspec.convert(
            await reports.issue_report(runtime.pm, info, profile_of(runtime, info), actor, entrustment),
            ReportIssuedOut,
        )

    @get(
        "/entrustments/{entrustment:str}/report.docx",
        operation_id="HousingCheckReportDocument",
        media_type=DOCX,
        opt=ASSIGNED,
    )
    async def report(self, actor: Actor, district: str, entrustment: str) -> Response[bytes]:
        info = await get_district(district)
        content, letter_no = await reports.report_document(info, actor, entrustment)
        return download(content, f"住房状况核查结果报告-{letter_no}.docx", DOCX)
