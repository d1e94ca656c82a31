"""HTTP for the group_rental plugin (mounted under /d/{district}/group_rental/ by core.district_router)."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from core.auth import Actor
from core.districts import get_district
from core.errors import BadRequest, NotFound
from core.services import require_manager
from plugins.group_rental import services
from plugins.group_rental.messages import CRITERIA, USES, label

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
        raise BadRequest("group_rental_bad_json", detail="应为 JSON 对象", details={"field": "$"})
    return data


def order_no(value: str) -> int:
    """An order's number from the URL; an order that cannot exist answers the plugin's own 404."""
    if not value.isdigit() or len(value) > 6:
        raise NotFound("group_rental_order_not_found", number=value)
    return int(value)


def download(content: bytes, filename: str, media_type: str) -> Response[bytes]:
    return Response(
        content=content,
        media_type=media_type,
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


class GroupRentalController(Controller):
    """Cases, inspections, orders, service and follow-up of a district."""

    @get("/", operation_id="GroupRentalHome")
    async def home(self, request: Request[Any, Any, Any], actor: Actor, district: str) -> Template:
        from core.services import menu_for

        info = await get_district(district)
        runtime = request.app.state["runtime"]
        profile = runtime.jurisdictions.get(info.jurisdiction_code)
        cases = await services.list_cases(info)
        for case in cases:
            case["status_label"] = label(f"status.{case['status']}")
        return Template(
            template_name="group_rental/home.html",
            context={
                "actor": actor,
                "csrf_token": actor.csrf_token,
                "district": info,
                "menu": await menu_for(runtime, info, actor),
                "cases": cases,
                "overdue": await services.overdue_cases(info),
                "profile": profile,
                "can_manage": actor.can_manage_district(info.id),
            },
        )

    @get("/cases", operation_id="GroupRentalListCases")
    async def list_cases(self, district: str) -> list[dict[str, Any]]:
        return await services.list_cases(await get_district(district))

    @post("/cases", operation_id="GroupRentalOpenCase", status_code=201)
    async def open_case(self, request: Request[Any, Any, Any], actor: Actor, district: str) -> dict[str, Any]:
        info = await get_district(district)
        require_manager(actor, info)
        return await services.open_case(info, await json_body(request), actor.label)

    @get("/overdue", operation_id="GroupRentalOverdue")
    async def overdue(self, district: str) -> list[dict[str, Any]]:
        return await services.overdue_cases(await get_district(district))

    @post("/assess", operation_id="GroupRentalAssess", status_code=200)
    async def assess(self, request: Request[Any, Any, Any], district: str) -> dict[str, Any]:
        """A dry run under the district's profile: the flat JSON in, the determination out; nothing stored."""
        from plugins.group_rental.rules import assess_data

        info = await get_district(district)
        profile = request.app.state["runtime"].jurisdictions.get(info.jurisdiction_code)
        return assess_data(await json_body(request), profile).to_dict()

    @get("/cases/{case:str}", operation_id="GroupRentalGetCase")
    async def get_case(self, district: str, case: str) -> dict[str, Any]:
        return await services.case_summary(await get_district(district), case)

    @get("/cases/{case:str}/console", operation_id="GroupRentalCasePage")
    async def case_page(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, case: str
    ) -> Template:
        from core.services import menu_for

        info = await get_district(district)
        summary = await services.case_summary(info, case)
        return Template(
            template_name="group_rental/case.html",
            context={
                "actor": actor,
                "csrf_token": actor.csrf_token,
                "district": info,
                "menu": await menu_for(request.app.state["runtime"], info, actor),
                "case": summary,
                "status_label": label(f"status.{summary['status']}"),
                "criteria": CRITERIA,
                "uses": USES,
                "label": label,
                "can_manage": actor.can_manage_district(info.id),
            },
        )

    @post("/cases/{case:str}/inspections", operation_id="GroupRentalRecordInspection", status_code=201)
    async def inspect(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, case: str
    ) -> dict[str, Any]:
        info = await get_district(district)
        require_manager(actor, info)
        return await services.record_inspection(info, case, await json_body(request), actor.label)

    @post("/cases/{case:str}/photos", operation_id="GroupRentalAddPhoto", status_code=201)
    async def add_photo(
        self,
        actor: Actor,
        district: str,
        case: str,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        info = await get_district(district)
        require_manager(actor, info)
        upload = data.get("data")
        if not isinstance(upload, UploadFile):
            raise BadRequest("group_rental_photo_empty")
        purpose = data.get("purpose") or "inspection"
        caption = data.get("caption") or ""
        return await services.add_photo(
            info,
            case,
            await upload.read(),
            upload.filename or "photo",
            actor.label,
            purpose=str(purpose),
            caption=str(caption),
        )

    @get("/cases/{case:str}/photos/{sha256:str}", operation_id="GroupRentalPhoto")
    async def photo(self, district: str, case: str, sha256: str) -> Response[bytes]:
        from plugins.group_rental.tables import GroupRentalPhoto

        row = await services.get_case(await get_district(district), case)
        photo = (
            await GroupRentalPhoto.select()
            .where((GroupRentalPhoto.case == row["id"]) & (GroupRentalPhoto.sha256 == sha256))
            .first()
        )
        if photo is None:
            raise NotFound("group_rental_photo_unknown", sha256=sha256)
        return Response(content=bytes(photo["content"]), media_type=photo["content_type"])

    @post("/cases/{case:str}/orders", operation_id="GroupRentalIssueOrder", status_code=201)
    async def issue_order(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, case: str
    ) -> dict[str, Any]:
        info = await get_district(district)
        require_manager(actor, info)
        return await services.issue_order(info, case, await json_body(request, empty_ok=True), actor.label)

    @patch("/cases/{case:str}/orders/{number:str}", operation_id="GroupRentalEditOrder")
    async def edit_order(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, case: str, number: str
    ) -> dict[str, Any]:
        info = await get_district(district)
        require_manager(actor, info)
        return await services.update_order(
            info, case, order_no(number), await json_body(request, empty_ok=True), actor.label
        )

    @post(
        "/cases/{case:str}/orders/{number:str}/supersede",
        operation_id="GroupRentalSupersedeOrder",
        status_code=201,
    )
    async def supersede(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, case: str, number: str
    ) -> dict[str, Any]:
        info = await get_district(district)
        require_manager(actor, info)
        return await services.supersede_order(
            info, case, order_no(number), await json_body(request, empty_ok=True), actor.label
        )

    @post(
        "/cases/{case:str}/orders/{number:str}/service",
        operation_id="GroupRentalRecordService",
        status_code=201,
    )
    async def serve(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, case: str, number: str
    ) -> dict[str, Any]:
        info = await get_district(district)
        require_manager(actor, info)
        return await services.record_service(
            info, case, order_no(number), await json_body(request), actor.label
        )

    @get("/cases/{case:str}/orders/{number:str}/order.docx", operation_id="GroupRentalOrderDocument")
    async def order_docx(self, district: str, case: str, number: str) -> Response[bytes]:
        from plugins.group_rental.documents import order_docx

        content = await order_docx(await get_district(district), case, order_no(number))
        return download(content, f"责令改正通知书-{case}-{number}.docx", DOCX)

    @post("/cases/{case:str}/escalation", operation_id="GroupRentalEscalate", status_code=201)
    async def escalate(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, case: str
    ) -> Response[bytes]:
        from plugins.group_rental.documents import escalate

        info = await get_district(district)
        require_manager(actor, info)
        package, result = await escalate(info, case, await json_body(request, empty_ok=True), actor.label)
        response = download(package, f"群租案件移送材料-{case}.zip", "application/zip")
        response.headers["x-package-sha256"] = result["sha256"]
        response.status_code = 201
        return response
