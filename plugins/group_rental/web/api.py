"""The group_rental JSON API (mounted under /d/{district}/group_rental/ by core.district_router)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import DOCX, ZIP, Actor, BadRequest, Runtime, Upload, download, get_district, require_manager
from plugins.group_rental.messages import FIELD_PROBLEMS, FILE_NAMES
from plugins.group_rental.rules import assess_data
from plugins.group_rental.schemas import (
    CaseBrief,
    CaseSummary,
    DeterminationOut,
    InspectionRecorded,
    OrderOut,
    OverdueCase,
    PhotoKept,
    shaped,
)
from plugins.group_rental.services import cases, escalation, inspections, orders, photos
from plugins.group_rental.services.common import MAX_PHOTO_BYTES


async def json_body(request: Request[Any, Any, Any], *, empty_ok: bool = False) -> dict[str, Any]:
    """The request's JSON object; 400 for bad JSON or anything but an object (``{}`` for an empty
    body where ``empty_ok``)."""
    raw = await request.body()
    if not raw.strip() and empty_ok:
        return {}
    try:
        data = json.loads(raw or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest("group_rental_bad_json", detail=str(exc)) from None
    if data is None and empty_ok:
        return {}
    if not isinstance(data, dict):
        raise BadRequest("group_rental_bad_json", detail=FIELD_PROBLEMS["object"], details={"field": "$"})
    return data


class GroupRentalController(Controller):
    """Cases, inspections, orders, service and follow-up of a district."""

    @get("/cases", operation_id="GroupRentalListCases")
    async def list_cases(self, district: str) -> list[CaseBrief]:
        return shaped(await cases.list_cases(await get_district(district)), list[CaseBrief])

    @post("/cases", operation_id="GroupRentalOpenCase", status_code=201)
    async def open_case(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str
    ) -> CaseSummary:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(
            await cases.open_case(runtime, info, await json_body(request), actor.label), CaseSummary
        )

    @get("/overdue", operation_id="GroupRentalOverdue")
    async def overdue(self, runtime: Runtime, district: str) -> list[OverdueCase]:
        return shaped(await cases.overdue_cases(runtime, await get_district(district)), list[OverdueCase])

    @post("/assess", operation_id="GroupRentalAssess", status_code=200)
    async def assess(
        self, request: Request[Any, Any, Any], runtime: Runtime, district: str
    ) -> DeterminationOut:
        """A dry run under the district's profile: the flat JSON in, the determination out; nothing stored."""
        info = await get_district(district)
        profile = runtime.jurisdictions.get(info.jurisdiction_code)
        return shaped(assess_data(await json_body(request), profile).to_dict(), DeterminationOut)

    @get("/cases/{case:str}", operation_id="GroupRentalGetCase")
    async def get_case(self, actor: Actor, runtime: Runtime, district: str, case: str) -> CaseSummary:
        """The case with its inspections, orders, service and photos (audited: personal data)."""
        return shaped(
            await cases.view_case(runtime, await get_district(district), case, actor.label), CaseSummary
        )

    @post("/cases/{case:str}/inspections", operation_id="GroupRentalRecordInspection", status_code=201)
    async def inspect(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str, case: str
    ) -> InspectionRecorded:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(
            await inspections.record_inspection(runtime, info, case, await json_body(request), actor.label),
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

    @get("/cases/{case:str}/photos/{sha256:str}", operation_id="GroupRentalPhoto")
    async def photo(self, actor: Actor, district: str, case: str, sha256: str) -> Response[bytes]:
        """A photograph as kept (audited: personal data)."""
        content, media_type = await photos.photo_content(
            await get_district(district), case, sha256, actor.label
        )
        return Response(content=content, media_type=media_type)

    @post("/cases/{case:str}/orders", operation_id="GroupRentalIssueOrder", status_code=201)
    async def issue_order(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str, case: str
    ) -> OrderOut:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(
            await orders.issue_order(
                runtime, info, case, await json_body(request, empty_ok=True), actor.label
            ),
            OrderOut,
        )

    @patch("/cases/{case:str}/orders/{number:str}", operation_id="GroupRentalEditOrder")
    async def edit_order(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        runtime: Runtime,
        district: str,
        case: str,
        number: str,
    ) -> OrderOut:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(
            await orders.update_order(
                info, case, orders.order_number(number), await json_body(request, empty_ok=True), actor.label
            ),
            OrderOut,
        )

    @post(
        "/cases/{case:str}/orders/{number:str}/supersede",
        operation_id="GroupRentalSupersedeOrder",
        status_code=201,
    )
    async def supersede(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        runtime: Runtime,
        district: str,
        case: str,
        number: str,
    ) -> OrderOut:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(
            await orders.supersede_order(
                runtime,
                info,
                case,
                orders.order_number(number),
                await json_body(request, empty_ok=True),
                actor.label,
            ),
            OrderOut,
        )

    @post(
        "/cases/{case:str}/orders/{number:str}/service",
        operation_id="GroupRentalRecordService",
        status_code=201,
    )
    async def serve(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        runtime: Runtime,
        district: str,
        case: str,
        number: str,
    ) -> OrderOut:
        info = await get_district(district)
        require_manager(actor, info)
        return shaped(
            await orders.record_service(
                runtime, info, case, orders.order_number(number), await json_body(request), actor.label
            ),
            OrderOut,
        )

    @get("/cases/{case:str}/orders/{number:str}/order.docx", operation_id="GroupRentalOrderDocument")
    async def order_docx(
        self, actor: Actor, runtime: Runtime, district: str, case: str, number: str
    ) -> Response[bytes]:
        """The order (as served, once served; audited: personal data)."""
        info = await get_district(district)
        content = await orders.order_docx(runtime, info, case, orders.order_number(number), actor.label)
        return download(content, FILE_NAMES["order"].format(case=case, number=number), DOCX)

    @post("/cases/{case:str}/escalation", operation_id="GroupRentalEscalate", status_code=201)
    async def escalate(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str, case: str
    ) -> Response[bytes]:
        """Hand the case over: build and keep the package, answer it (``GET …/escalation.zip`` later)."""
        info = await get_district(district)
        require_manager(actor, info)
        package, result = await escalation.escalate(
            runtime, info, case, await json_body(request, empty_ok=True), actor.label
        )
        response = download(package, package_name(case), ZIP)
        response.headers["x-package-sha256"] = result["sha256"]
        response.status_code = 201
        return response

    @get("/cases/{case:str}/escalation.zip", operation_id="GroupRentalEscalationPackage")
    async def escalation_zip(self, actor: Actor, district: str, case: str) -> Response[bytes]:
        """The package as handed over, byte for byte (audited: personal data)."""
        package, digest = await escalation.escalation_package(await get_district(district), case, actor.label)
        response = download(package, package_name(case), ZIP)
        response.headers["x-package-sha256"] = digest
        return response


def package_name(case: str) -> str:
    return FILE_NAMES["package"].format(case=case)
