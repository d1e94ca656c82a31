"""The group_rental JSON API (mounted under /d/{district}/group_rental/ by core.district_router).

Every JSON body is a Struct of ``schemas.py`` (``data: …In``): Litestar decodes it and a wrong one is
answered here in the plugin's own codes, the rules' words and the field's JSON path
(:func:`body_errors`); the services get the fields sent as a dict (``given(data)``) and check the rest.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import (
    ATTACHMENT,
    DOCX,
    XLSX,
    ZIP,
    Actor,
    BadRequest,
    BodyProblem,
    Runtime,
    Upload,
    WuyeError,
    attachment,
    body_error_handlers,
    download,
    get_district,
    require_manager,
)
from plugins.group_rental.messages import FIELD_PROBLEMS, FILE_NAMES
from plugins.group_rental.rules import FieldError, assess_data
from plugins.group_rental.schemas import (
    CaseBrief,
    CaseIn,
    CaseSummary,
    DeterminationOut,
    EscalationIn,
    FlatIn,
    InspectionIn,
    InspectionRecorded,
    OrderIn,
    OrderOut,
    OverdueCase,
    PhotoKept,
    ServiceIn,
    given,
    shaped,
)
from plugins.group_rental.services import cases, escalation, inspections, orders, photos
from plugins.group_rental.services.common import CASE_FIELD, MAX_PHOTO_BYTES

#: Fields the rules describe in their own words whatever the decoding found wrong with them.
_FIELD_WORDS = {
    "rooms": "list",
    "inspectors": "list",
    "usable_area_m2": "area",
    "designed_use": "use",
    "source": "source",
    "inspected_on": "date",
    "served_at": "datetime",
}
#: Otherwise the kind of problem (``BodyProblem.kind``) in the rules' words where they have some.
_KIND_WORDS = {
    "array": "list",
    "empty_value": "list",
    "too_long": "text",
    "too_small": "int",
    "too_large": "int",
}


def body_field_error(problem: BodyProblem, code: str) -> WuyeError:
    """A body that failed to decode, as the rules would have refused it: ``group_rental_bad_json`` for
    no body, malformed JSON or anything but an object; else a :class:`FieldError` (``code``) naming
    the field's JSON path."""
    if problem.field == "$":
        detail = FIELD_PROBLEMS.get(problem.kind, FIELD_PROBLEMS["object"])
        return BadRequest("group_rental_bad_json", detail=detail, details={"field": "$"})
    name = problem.field.rsplit(".", 1)[-1]
    own = None if problem.kind in ("missing", "unknown") else _FIELD_WORDS.get(name)
    words = own or _KIND_WORDS.get(problem.kind, problem.kind)
    return FieldError(
        problem.field, words if words in FIELD_PROBLEMS else "value", code=code, max=problem.bound
    )


def body_errors(code: str) -> dict[Any, Any]:
    """Exception handlers answering a wrong body with ``code`` for its fields: ``group_rental_bad_field``
    for the inspection record (the flat and its rooms), ``group_rental_bad_case_field`` for the case's
    own fields, its orders' and the hand-over's — the codes the rules use for them."""
    return body_error_handlers(lambda problem: body_field_error(problem, code))


CASE_BODY = body_errors(CASE_FIELD)


class GroupRentalController(Controller):
    """Cases, inspections, orders, service and follow-up of a district."""

    exception_handlers = body_errors("group_rental_bad_field")

    @get("/cases.xlsx", operation_id="GroupRentalExportCases", media_type=XLSX)
    async def export_cases(self, actor: Actor, runtime: Runtime, district: str) -> Response[bytes]:
        """The district's cases as an XLSX."""
        content, filename = await cases.cases_xlsx(runtime, await get_district(district), actor.label)
        return download(content, filename, XLSX)

    @get("/cases", operation_id="GroupRentalListCases")
    async def list_cases(self, district: str) -> list[CaseBrief]:
        return shaped(await cases.list_cases(await get_district(district)), list[CaseBrief])

    @post("/cases", operation_id="GroupRentalOpenCase", status_code=201, exception_handlers=CASE_BODY)
    async def open_case(self, actor: Actor, runtime: Runtime, district: str, data: CaseIn) -> CaseSummary:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(await cases.open_case(runtime, info, given(data), actor.label), CaseSummary)

    @get("/overdue", operation_id="GroupRentalOverdue")
    async def overdue(self, runtime: Runtime, district: str) -> list[OverdueCase]:
        return shaped(await cases.overdue_cases(runtime, await get_district(district)), list[OverdueCase])

    @post("/assess", operation_id="GroupRentalAssess", status_code=200)
    async def assess(self, runtime: Runtime, district: str, data: FlatIn) -> DeterminationOut:
        """A dry run under the district's profile: the flat JSON in, the determination out; nothing stored."""
        info = await get_district(district)
        profile = runtime.jurisdictions.get(info.jurisdiction_code)
        return shaped(assess_data(given(data), profile).to_dict(), DeterminationOut)

    @get("/cases/{case:str}", operation_id="GroupRentalGetCase")
    async def get_case(self, actor: Actor, runtime: Runtime, district: str, case: str) -> CaseSummary:
        """The case with its inspections, orders, service and photos (audited: personal data)."""
        return shaped(
            await cases.view_case(runtime, await get_district(district), case, actor.label), CaseSummary
        )

    @post("/cases/{case:str}/inspections", operation_id="GroupRentalRecordInspection", status_code=201)
    async def inspect(
        self, actor: Actor, runtime: Runtime, district: str, case: str, data: InspectionIn
    ) -> InspectionRecorded:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(
            await inspections.record_inspection(runtime, info, case, given(data), actor.label),
            InspectionRecorded,
        )

    @post(
        "/cases/{case:str}/photos",
        operation_id="GroupRentalAddPhoto",
        status_code=201,
        request_max_body_size=MAX_PHOTO_BYTES + 64 * 1024,
    )
    async def add_photo(
        self,
        actor: Actor,
        district: str,
        case: str,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> PhotoKept:
        info = await get_district(district)
        require_manager(actor, info)
        upload = data.get("data")
        if not isinstance(upload, UploadFile):
            raise BadRequest("group_rental_photo_empty")
        kept = await photos.add_photos(
            info,
            case,
            [Upload(filename=upload.filename or "photo", content=await upload.read())],
            actor.label,
            purpose=str(data.get("purpose") or "inspection"),
            caption=str(data.get("caption") or ""),
        )
        return shaped(kept[0], PhotoKept)

    @get("/cases/{case:str}/photos/{sha256:str}", operation_id="GroupRentalPhoto", media_type=ATTACHMENT)
    async def photo(self, actor: Actor, district: str, case: str, sha256: str) -> Response[bytes]:
        """A photograph as kept (audited: personal data)."""
        info = await get_district(district)
        content, _claimed = await photos.photo_content(info, case, sha256, actor.label)
        return attachment(content, f"{case}-{sha256[:12]}")  # typed by its bytes, never the claim

    @post(
        "/cases/{case:str}/orders",
        operation_id="GroupRentalIssueOrder",
        status_code=201,
        exception_handlers=CASE_BODY,
    )
    async def issue_order(
        self, actor: Actor, runtime: Runtime, district: str, case: str, data: OrderIn | None = None
    ) -> OrderOut:
        """Draft the order; with no body (or ``{}``) the case's party and the district's office."""
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(await orders.issue_order(runtime, info, case, given(data), actor.label), OrderOut)

    @patch(
        "/cases/{case:str}/orders/{number:str}",
        operation_id="GroupRentalEditOrder",
        exception_handlers=CASE_BODY,
    )
    async def edit_order(
        self,
        actor: Actor,
        runtime: Runtime,
        district: str,
        case: str,
        number: str,
        data: OrderIn | None = None,
    ) -> OrderOut:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(
            await orders.update_order(info, case, orders.order_number(number), given(data), actor.label),
            OrderOut,
        )

    @post(
        "/cases/{case:str}/orders/{number:str}/supersede",
        operation_id="GroupRentalSupersedeOrder",
        status_code=201,
        exception_handlers=CASE_BODY,
    )
    async def supersede(
        self,
        actor: Actor,
        runtime: Runtime,
        district: str,
        case: str,
        number: str,
        data: OrderIn | None = None,
    ) -> OrderOut:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(
            await orders.supersede_order(
                runtime,
                info,
                case,
                orders.order_number(number),
                given(data),
                actor.label,
            ),
            OrderOut,
        )

    @post(
        "/cases/{case:str}/orders/{number:str}/service",
        operation_id="GroupRentalRecordService",
        status_code=201,
        exception_handlers=CASE_BODY,
    )
    async def serve(
        self, actor: Actor, runtime: Runtime, district: str, case: str, number: str, data: ServiceIn
    ) -> OrderOut:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(
            await orders.record_service(
                runtime, info, case, orders.order_number(number), given(data), actor.label
            ),
            OrderOut,
        )

    @get(
        "/cases/{case:str}/orders/{number:str}/order.docx",
        operation_id="GroupRentalOrderDocument",
        media_type=DOCX,
    )
    async def order_docx(
        self, actor: Actor, runtime: Runtime, district: str, case: str, number: str
    ) -> Response[bytes]:
        """The order (as served, once served; audited: personal data)."""
        info = await get_district(district)
        content = await orders.order_docx(runtime, info, case, orders.order_number(number), actor.label)
        return download(content, FILE_NAMES["order"].format(case=case, number=number), DOCX)

    @post(
        "/cases/{case:str}/escalation",
        operation_id="GroupRentalEscalate",
        status_code=201,
        media_type=ZIP,
        exception_handlers=CASE_BODY,
    )
    async def escalate(
        self, actor: Actor, runtime: Runtime, district: str, case: str, data: EscalationIn | None = None
    ) -> Response[bytes]:
        """Hand the case over: build and keep the package, answer it (``GET …/escalation.zip`` later)."""
        info = await get_district(district)
        require_manager(actor, info)
        package, result = await escalation.escalate(runtime, info, case, given(data), actor.label)
        response = download(package, package_name(case), ZIP)
        response.headers["x-package-sha256"] = result["sha256"]
        response.status_code = 201
        return response

    @get("/cases/{case:str}/escalation.zip", operation_id="GroupRentalEscalationPackage", media_type=ZIP)
    async def escalation_zip(self, actor: Actor, district: str, case: str) -> Response[bytes]:
        """The package as handed over, byte for byte (audited: personal data)."""
        package, digest = await escalation.escalation_package(await get_district(district), case, actor.label)
        response = download(package, package_name(case), ZIP)
        response.headers["x-package-sha256"] = digest
        return response


def package_name(case: str) -> str:
    return FILE_NAMES["package"].format(case=case)
