"""The officers' console (server-rendered Chinese pages and plain HTML forms, mounted with the API under
/d/{district}/housing_check/).

Every form posts with its ``csrf_token`` field, is answered by a redirect to the page it came from
(``?done=…`` says what was saved), or — when the input breaks a rule — by the same page again with the
problems in Chinese (by row for a household list) and nothing saved. Refusals of access (403) and
objects that do not exist (404) are the core's error pages. Each page that shows personal data reads
it through the audited services.
"""

from __future__ import annotations

import hashlib
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from core.auth import Actor
from core.districts import DistrictInfo, get_district
from core.errors import BadRequest, Conflict, Invalid, NotFound, WuyeError
from plugins.housing_check import services
from plugins.housing_check.access import is_supervisor
from plugins.housing_check.intake import ParsedList, Problem, parse_lines, parse_list
from plugins.housing_check.messages import PAGE, label
from plugins.housing_check.rules import AREA_TYPES, DWELLING_KINDS, SCHEMES, STEP_RESULTS

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
#: Errors a form shows on its page; access refusals and missing objects keep their error pages.
FORM_ERRORS = (BadRequest, Conflict, Invalid)
LETTER_FIELDS = ("entrusting_office", "scheme", "letter_no", "received_on")


def object_id(value: str, code: str) -> int:
    """A numeric path segment; anything else names nothing (404 with the plugin's own code)."""
    if not value.isdigit() or len(value) > 18:
        raise NotFound(code)
    return int(value)


async def form_of(request: Request[Any, Any, Any]) -> FormMultiDict:
    """The submitted form; a console form route answers anything else with 400."""
    if request.content_type[0] not in FORM_TYPES:
        raise BadRequest("housing_check_form_expected")
    return await request.form()


def text(form: FormMultiDict, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def uploads(form: FormMultiDict, key: str) -> list[UploadFile]:
    """The files chosen in a file input (a browser sends an empty, nameless part when none is)."""
    return [f for f in form.getall(key, []) if isinstance(f, UploadFile) and f.filename]


async def read_uploads(form: FormMultiDict, key: str) -> list[services.Upload]:
    return [services.Upload(f.filename, await f.read(), f.content_type or "") for f in uploads(form, key)]


def problems_of(exc: WuyeError) -> dict[str, Any]:
    """An error as the pages show it: its message and, for a list, each problem with its row."""
    rows = []
    for item in exc.details if isinstance(exc.details, list) else []:
        if not isinstance(item, dict):
            continue
        column = str(item.get("column") or "")
        rows.append(
            {
                "row": PAGE["row"].format(row=item["row"]) if item.get("row") else "",
                "column": label(f"column.{column}") if column else "",
                "message": item.get("message", ""),
            }
        )
    return {"code": exc.code, "message": exc.message, "rows": rows}


def redirect(url: str, done: str) -> Redirect:
    return Redirect(f"{url}?done={done}", status_code=HTTP_303_SEE_OTHER)


class HousingCheckConsole(Controller):
    """The deadline list, the letter form, the entrustment page and the household page."""

    include_in_schema = False

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        info: DistrictInfo,
        template: str,
        status: int = 200,
        **context: Any,
    ) -> Template:
        from core.services import menu_for

        done = request.query_params.get("done", "") if request.method == "GET" else ""
        return Template(
            template_name=f"housing_check/{template}",
            status_code=status,
            context={
                "actor": actor,
                "csrf_token": actor.csrf_token,
                "district": info,
                "menu": await menu_for(request.app.state["runtime"], info, actor),
                "T": PAGE,
                "label": label,
                "done": PAGE.get(f"done.{done}", ""),
                "base": f"/d/{info.slug}/housing_check",
                **context,
            },
        )

    # --- the deadline list and the letter ------------------------------------------------------

    async def _home(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        info: DistrictInfo,
        *,
        error: dict[str, Any] | None = None,
        form: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        profile = request.app.state["runtime"].jurisdictions.get(info.jurisdiction_code)
        items = await services.list_entrustments(info, actor, profile)
        return await self._page(
            request,
            actor,
            info,
            "home.html",
            status,
            open_items=[i for i in items if i["status"] == "open"],
            closed_items=[i for i in items if i["status"] != "open"],
            can_supervise=is_supervisor(actor, info.id),
            schemes=SCHEMES,
            today=services.today_in(profile).isoformat(),
            error=error,
            form=form or {},
        )

    @get("/", operation_id="HousingCheckHome")
    async def home(self, request: Request[Any, Any, Any], actor: Actor, district: str) -> Template:
        return await self._home(request, actor, await get_district(district))

    @post("/console/entrustments", status_code=HTTP_303_SEE_OTHER)
    async def create(self, request: Request[Any, Any, Any], actor: Actor, district: str) -> Any:
        info = await get_district(district)
        form = await form_of(request)
        letter = {key: text(form, key) for key in LETTER_FIELDS}
        people = str(form.get("people") or "")
        files = uploads(form, "data")
        source: dict[str, str] = {}
        if files and people.strip():
            parsed = ParsedList(problems=[_file_problem(BadRequest("housing_check_list_both"))])
        elif files:
            content = await files[0].read()
            source = {
                "source_filename": files[0].filename,
                "source_sha256": hashlib.sha256(content).hexdigest(),
            }
            try:
                parsed = parse_list(content, files[0].filename)
            except BadRequest as exc:  # unreadable or not a list: shown with the letter's problems
                parsed = ParsedList(problems=[_file_problem(exc)])
        elif people.strip():
            parsed = parse_lines(people)
        else:
            parsed = ParsedList(problems=[_file_problem(BadRequest("housing_check_list_missing"))])
        profile = request.app.state["runtime"].jurisdictions.get(info.jurisdiction_code)
        try:
            created = await services.create_entrustment(info, profile, actor, letter, parsed, **source)
        except FORM_ERRORS as exc:
            return await self._home(
                request,
                actor,
                info,
                error=problems_of(exc),
                form={**letter, "people": people},
                status=exc.status_code,
            )
        return redirect(
            f"/d/{info.slug}/housing_check/entrustments/{created['entrustment']}/console", "created"
        )

    # --- an entrustment ------------------------------------------------------------------------

    async def _entrustment(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        info: DistrictInfo,
        public_id: str,
        *,
        error: dict[str, Any] | None = None,
        status: int = 200,
    ) -> Template:
        profile = request.app.state["runtime"].jurisdictions.get(info.jurisdiction_code)
        detail = await services.entrustment_detail(info, profile, actor, public_id)
        assigned = {o["username"] for o in detail["officers"]}
        candidates = []
        if detail["can_supervise"] and detail["status"] == "open":
            candidates = [o for o in await services.eligible_officers(info) if o["username"] not in assigned]
        return await self._page(
            request,
            actor,
            info,
            "entrustment.html",
            status,
            e=detail,
            candidates=candidates,
            error=error,
        )

    @get("/entrustments/{entrustment:str}/console")
    async def entrustment_page(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, entrustment: str
    ) -> Template:
        return await self._entrustment(request, actor, await get_district(district), entrustment)

    @post("/entrustments/{entrustment:str}/console/officers", status_code=HTTP_303_SEE_OTHER)
    async def assign(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, entrustment: str
    ) -> Any:
        info = await get_district(district)
        form = await form_of(request)
        names = [n for n in form.getall("officers", []) if isinstance(n, str)]
        try:
            await services.assign_officers(info, actor, entrustment, names)
        except FORM_ERRORS as exc:
            return await self._entrustment(
                request, actor, info, entrustment, error=problems_of(exc), status=exc.status_code
            )
        return redirect(f"/d/{info.slug}/housing_check/entrustments/{entrustment}/console", "officers")

    @post("/entrustments/{entrustment:str}/console/report", status_code=HTTP_303_SEE_OTHER)
    async def issue(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, entrustment: str
    ) -> Any:
        from plugins.housing_check.report import issue_report

        info = await get_district(district)
        await form_of(request)
        runtime = request.app.state["runtime"]
        try:
            await issue_report(
                runtime.pm, info, runtime.jurisdictions.get(info.jurisdiction_code), actor, entrustment
            )
        except FORM_ERRORS as exc:
            return await self._entrustment(
                request, actor, info, entrustment, error=problems_of(exc), status=exc.status_code
            )
        return redirect(f"/d/{info.slug}/housing_check/entrustments/{entrustment}/console", "report")

    # --- a household ---------------------------------------------------------------------------

    async def _household(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        info: DistrictInfo,
        public_id: str,
        household: str,
        *,
        error: dict[str, Any] | None = None,
        form: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        profile = request.app.state["runtime"].jurisdictions.get(info.jurisdiction_code)
        household_id = object_id(household, "housing_check_household_not_found")
        data = await services.household_detail(info, actor, public_id, household_id)
        return await self._page(
            request,
            actor,
            info,
            "household.html",
            status,
            e=data["entrustment"],
            h=data,
            step_choices=[
                (f"{k}:{r}", f"{label('step.' + k)}：{label('result.' + r)}")
                for k, rs in STEP_RESULTS.items()
                for r in rs
            ],
            dwelling_kinds=DWELLING_KINDS,
            area_types=AREA_TYPES,
            today=services.today_in(profile).isoformat(),
            error=error,
            form=form or {},
        )

    @get("/entrustments/{entrustment:str}/households/{household:str}/console")
    async def household_page(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, entrustment: str, household: str
    ) -> Template:
        return await self._household(request, actor, await get_district(district), entrustment, household)

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/console/steps",
        status_code=HTTP_303_SEE_OTHER,
        request_max_body_size=services.MAX_BODY_BYTES,
    )
    async def record_step(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, entrustment: str, household: str
    ) -> Any:
        info = await get_district(district)
        household_id = object_id(household, "housing_check_household_not_found")
        form = await form_of(request)
        values = {k: text(form, k) for k in ("step", "date", "finding", "officer")}
        kind, _, result = values["step"].partition(":")
        profile = request.app.state["runtime"].jurisdictions.get(info.jurisdiction_code)
        try:
            await services.record_step(
                info,
                profile,
                actor,
                entrustment,
                household_id,
                kind=kind,
                step_date=values["date"],
                result=result,
                finding=values["finding"],
                officer=values["officer"] or None,
                attachments=await read_uploads(form, "data"),
            )
        except FORM_ERRORS as exc:
            return await self._household(
                request,
                actor,
                info,
                entrustment,
                household,
                error=problems_of(exc),
                form=values,
                status=exc.status_code,
            )
        return redirect(self._household_url(info, entrustment, household_id), "step")

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/console/steps/{step:str}/attachments",
        status_code=HTTP_303_SEE_OTHER,
        request_max_body_size=services.MAX_BODY_BYTES,
    )
    async def attach(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        district: str,
        entrustment: str,
        household: str,
        step: str,
    ) -> Any:
        info = await get_district(district)
        household_id = object_id(household, "housing_check_household_not_found")
        step_id = object_id(step, "housing_check_step_not_found")
        form = await form_of(request)
        try:
            files = await read_uploads(form, "data")
            await services.add_attachments(info, actor, entrustment, household_id, step_id, files)
        except FORM_ERRORS as exc:
            return await self._household(
                request, actor, info, entrustment, household, error=problems_of(exc), status=exc.status_code
            )
        return redirect(self._household_url(info, entrustment, household_id), "attachment")

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/console/dwellings",
        status_code=HTTP_303_SEE_OTHER,
    )
    async def add_dwelling(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, entrustment: str, household: str
    ) -> Any:
        info = await get_district(district)
        household_id = object_id(household, "housing_check_household_not_found")
        form = await form_of(request)
        values = {
            k: text(form, k)
            for k in ("kind", "address", "holder", "area", "area_type", "source", "from_step")
        }
        try:
            step = (
                object_id(values["from_step"], "housing_check_step_not_found")
                if values["from_step"]
                else None
            )
            await services.add_dwelling(
                info,
                actor,
                entrustment,
                household_id,
                kind=values["kind"],
                address=values["address"],
                area=values["area"],
                area_type=values["area_type"],
                source=values["source"],
                holder=values["holder"],
                step=step,
            )
        except (*FORM_ERRORS, NotFound) as exc:
            if isinstance(exc, NotFound) and exc.code != "housing_check_step_not_found":
                raise
            return await self._household(
                request,
                actor,
                info,
                entrustment,
                household,
                error=problems_of(exc),
                form=values,
                status=exc.status_code,
            )
        return redirect(self._household_url(info, entrustment, household_id), "dwelling")

    @staticmethod
    def _household_url(info: DistrictInfo, entrustment: str, household_id: int) -> str:
        return f"/d/{info.slug}/housing_check/entrustments/{entrustment}/households/{household_id}/console"


def _file_problem(exc: WuyeError) -> Problem:
    return Problem(0, "data", exc.code, exc.message)
