"""The officers' console (server-rendered Chinese pages and plain HTML forms, mounted with the API under
/d/{district}/housing_check/).

Every form posts with its ``csrf_token`` field and is answered by a redirect to the page it came from
(``?done=…`` says what was saved) or — when the input breaks a rule — by the same page again with the
problems in Chinese (by row for a household list), what was typed kept, and nothing saved. Refusals of
access (403) and objects that do not exist (404) are the core's error pages. Every page that shows
personal data reads it through the audited services.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from core import (
    Actor,
    BadRequest,
    Confirmation,
    Conflict,
    DistrictInfo,
    Invalid,
    ListColumn,
    ListFilter,
    RowProblem,
    Runtime,
    Upload,
    UploadTooLarge,
    WuyeError,
    check_uploads,
    confirm_fingerprint,
    confirmation_pending,
    district_page,
    district_today,
    get_district,
    is_confirmed,
    issued_doc_number,
    list_view,
    megabytes,
    people_date,
    read_form,
    upload_limit,
)
from plugins.housing_check.documents import NUMBER_KIND
from plugins.housing_check.messages import PAGE, label
from plugins.housing_check.rules import AREA_TYPES, DWELLING_KINDS, SCHEMES, STEP_RESULTS
from plugins.housing_check.rules.intake import MAX_LIST_MB, ParsedList, parse_lines, parse_list
from plugins.housing_check.services import dwellings, entrustments, households, officers, reports
from plugins.housing_check.services.access import is_supervisor
from plugins.housing_check.web.api import object_id, profile_of
from plugins.housing_check.web.roles import ASSIGNED

#: The lists of the home page: what they can be sorted by and searched in.
OPEN_COLUMNS = (
    ListColumn("entrustment", PAGE["col_entrustment"], searchable=True),
    ListColumn("entrusting_office", PAGE["col_office"], searchable=True),
    ListColumn("letter_no", PAGE["col_letter_no"], searchable=True),
    ListColumn("received_on", PAGE["col_received"]),
    ListColumn("households", PAGE["col_households"]),
    ListColumn("due_on", PAGE["col_due"]),
)
CLOSED_COLUMNS = (*OPEN_COLUMNS, ListColumn("reported_on", PAGE["col_reported"]))

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
#: Errors a form shows on its page; access refusals and missing objects keep their error pages.
FORM_ERRORS = (BadRequest, Conflict, Invalid, UploadTooLarge)
LIST_LIMIT = MAX_LIST_MB * 1024 * 1024  #: a list file of the letter form
ATTACHMENT_LIMIT = households.MAX_ATTACHMENT_MB * 1024 * 1024  #: each attachment of a step
LETTER_FIELDS = ("entrusting_office", "scheme", "letter_no", "received_on")
STEP_FIELDS = ("step", "date", "finding", "officer")
DWELLING_FIELDS = ("kind", "address", "holder", "area", "area_type", "source", "from_step")
#: The step form offers each kind with the results it may have (the order is checked on saving).
STEP_CHOICES = [
    (f"{kind}:{result}", f"{label('step.' + kind)}：{label('result.' + result)}")
    for kind, results in STEP_RESULTS.items()
    for result in results
]

Request_ = Request[Any, Any, Any]
Page = Callable[[dict[str, Any], int], Awaitable[Template]]
EntrustmentSave = Callable[[DistrictInfo, FormMultiDict], Awaitable[None]]
HouseholdSave = Callable[[DistrictInfo, int, dict[str, str], FormMultiDict], Awaitable[None]]


async def form_of(request: Request_) -> FormMultiDict:
    """The submitted form; a console form route answers anything else with 400."""
    if request.content_type[0] not in FORM_TYPES:
        raise BadRequest("housing_check_form_expected")
    return await read_form(request)  # a file over the route's limit: check_uploads, form kept


def text(form: FormMultiDict, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


async def read_uploads(form: FormMultiDict, key: str) -> list[Upload]:
    """The files chosen in a file input (a browser sends an empty, nameless part when none is)."""
    files = [f for f in form.getall(key, []) if isinstance(f, UploadFile) and f.filename]
    return [
        Upload(filename=f.filename, content=await f.read(), media_type=f.content_type or "") for f in files
    ]


def problems_of(exc: WuyeError) -> dict[str, Any]:
    """An error as the pages show it: its message and, for a list, each problem with its row."""
    rows = [
        {
            "row": PAGE["row"].format(row=item["row"]) if item.get("row") else "",
            "column": label(f"column.{item['column']}") if item.get("column") else "",
            "message": item.get("message", ""),
        }
        for item in (exc.details if isinstance(exc.details, list) else [])
        if isinstance(item, dict)
    ]
    return {"code": exc.code, "message": exc.message, "rows": rows}


async def submit(save: Callable[[], Awaitable[str]], again: Page, done: str) -> Redirect | Template:
    """Run a form's use case: on success to the page ``save`` names, saying what was ``done``; when the
    input breaks a rule, the page ``again`` with the problems (the use case saved nothing)."""
    try:
        url = await save()
    except FORM_ERRORS as exc:
        return await again(problems_of(exc), exc.status_code)
    return Redirect(f"{url}?done={done}", status_code=HTTP_303_SEE_OTHER)


class HousingCheckConsole(Controller):
    """The deadline list with the letter form, the entrustment page and the household page."""

    include_in_schema = False

    @staticmethod
    async def _page(
        request: Request_, actor: Actor, info: DistrictInfo, template: str, status: int, **context: Any
    ) -> Template:
        done = request.query_params.get("done", "") if request.method == "GET" else ""
        return await district_page(
            request,
            actor,
            info,
            f"housing_check/{template}",
            status_code=status,
            T=PAGE,
            label=label,
            done=PAGE.get(f"done.{done}", ""),
            base=f"/d/{info.slug}/housing_check",
            list_limit=PAGE["file_limit"].format(mb=megabytes(LIST_LIMIT)),
            attachment_limit=PAGE["file_limit_each"].format(mb=megabytes(ATTACHMENT_LIMIT)),
            **context,
        )

    # --- the deadline list and the letter ------------------------------------------------------

    async def _home(
        self,
        request: Request_,
        runtime: Runtime,
        actor: Actor,
        info: DistrictInfo,
        error: dict[str, Any] | None = None,
        status: int = 200,
        confirmation: Confirmation | None = None,
        form: dict[str, str] | None = None,
    ) -> Template:
        profile = profile_of(runtime, info)
        items = await entrustments.list_entrustments(info, actor, profile)
        for item in items:  # dates as people read them; the ISO value stays the sort key
            for key in ("received_on", "due_on", "reported_on"):
                item[f"{key}_words"] = people_date(date.fromisoformat(item[key])) if item[key] else "—"
        schemes = ListFilter("scheme", PAGE["col_scheme"], tuple((s, label(f"scheme.{s}")) for s in SCHEMES))
        open_list = list_view(
            [i for i in items if i["status"] == "open"],
            request.query_params,
            columns=OPEN_COLUMNS,
            filters=(schemes,),
            default_sort="due_on",
            keep=[k for k in request.query_params if k.startswith("done_")],
        )
        closed_list = list_view(
            [i for i in items if i["status"] != "open"],
            request.query_params,
            columns=CLOSED_COLUMNS,
            filters=(schemes,),
            default_sort="-reported_on",
            prefix="done_",
            keep=[k for k in request.query_params if not k.startswith("done_")],
        )
        return await self._page(
            request,
            actor,
            info,
            "home.html",
            status,
            open_items=open_list.rows,
            closed_items=closed_list.rows,
            open_list=open_list,
            closed_list=closed_list,
            can_supervise=is_supervisor(actor, info.id),
            schemes=SCHEMES,
            today=(await district_today(info, profile)).isoformat(),
            error=error,
            form=form or {},
            confirmation=confirmation,
        )

    @get("/", operation_id="HousingCheckHome", opt=ASSIGNED)
    async def home(self, request: Request_, runtime: Runtime, actor: Actor, district: str) -> Template:
        return await self._home(request, runtime, actor, await get_district(district))

    @staticmethod
    async def _same_letter(
        info: DistrictInfo, form: FormMultiDict, letter: dict[str, str], with_file: bool
    ) -> Confirmation | None:
        """The warning before a letter whose number the district has registered already (the same
        office and number is refused outright by the use case)."""
        same = [
            e
            for e in await entrustments.letters_numbered(info, letter["letter_no"])
            if e["entrusting_office"] != letter["entrusting_office"]
        ]
        if not same:
            return None
        base = f"/d/{info.slug}/housing_check"
        lines = [
            PAGE["confirm_duplicate_line"].format(
                entrustment=e["public_id"],
                office=e["entrusting_office"],
                received=people_date(e["received_on"]),
                status=label(f"status.{e['status']}"),
            )
            for e in same
        ]
        return confirmation_pending(
            form,
            Confirmation(
                code="housing_check_same_letter_no",
                title=PAGE["confirm_duplicate_title"].format(letter_no=letter["letter_no"]),
                summary=[*lines, PAGE["confirm_duplicate_hint"]],
                action=f"{base}/console/entrustments",
                confirm_label=PAGE["confirm_duplicate_button"],
                cancel_href=f"{base}/",
                files=[("data", PAGE["confirm_file_again"])] if with_file else [],
                warning=True,
                status_code=409,
            ),
        )

    @post(
        "/console/entrustments",
        status_code=HTTP_303_SEE_OTHER,
        # above the list's own limit, so that a list too large comes back on the form with its message
        request_max_body_size=households.MAX_BODY_BYTES,
        opt=upload_limit(LIST_LIMIT),
    )
    async def create(
        self, request: Request_, runtime: Runtime, actor: Actor, district: str
    ) -> Redirect | Template:
        """A letter with its households, typed in lines or uploaded as the entrusting office's list."""
        info = await get_district(district)
        form = await form_of(request)
        letter = {key: text(form, key) for key in LETTER_FIELDS}
        people = str(form.get("people") or "")
        files = await read_uploads(form, "data")
        source: dict[str, str] = {}
        if files and people.strip():
            parsed = _file_problem(BadRequest("housing_check_list_both"))
        elif files:
            upload = files[0]
            source = {
                "source_filename": upload.filename,
                "source_sha256": hashlib.sha256(upload.content).hexdigest(),
            }
            try:
                parsed = parse_list(upload.content, upload.filename)
            except BadRequest as exc:  # unreadable, too large or not a list: shown with the letter's problems
                parsed = _file_problem(exc)
        elif people.strip():
            parsed = parse_lines(people)
        else:
            parsed = _file_problem(BadRequest("housing_check_list_missing"))

        if not is_confirmed(form) and not parsed.problems:
            ask = await self._same_letter(info, form, letter, bool(files))
            if ask:
                return await self._home(
                    request, runtime, actor, info, None, ask.status_code, ask, {**letter, "people": people}
                )

        async def save() -> str:
            check_uploads(request)  # a list over the limit: the form again, 413, the letter kept
            profile = profile_of(runtime, info)
            created = await entrustments.create_entrustment(info, profile, actor, letter, parsed, **source)
            return f"/d/{info.slug}/housing_check/entrustments/{created['entrustment']}/console"

        async def again(error: dict[str, Any], status: int) -> Template:
            return await self._home(
                request, runtime, actor, info, error, status, form={**letter, "people": people}
            )

        return await submit(save, again, "created")

    # --- an entrustment ------------------------------------------------------------------------

    async def _entrustment(
        self,
        request: Request_,
        runtime: Runtime,
        actor: Actor,
        info: DistrictInfo,
        public_id: str,
        error: dict[str, Any] | None = None,
        status: int = 200,
        confirmation: Confirmation | None = None,
    ) -> Template:
        detail = await entrustments.entrustment_detail(info, profile_of(runtime, info), actor, public_id)
        candidates = []
        if detail["can_supervise"] and detail["status"] == "open":
            assigned = {o["username"] for o in detail["officers"]}
            candidates = [o for o in await officers.eligible_officers(info) if o["username"] not in assigned]
        number = await issued_doc_number(info.id, NUMBER_KIND, public_id)  # the report's 发文字号
        return await self._page(
            request,
            actor,
            info,
            "entrustment.html",
            confirmation.status_code if confirmation else status,
            e=detail,
            candidates=candidates,
            error=error,
            confirmation=confirmation,
            report_number=number,
        )

    async def _on_entrustment(
        self,
        request: Request_,
        runtime: Runtime,
        actor: Actor,
        district: str,
        entrustment: str,
        done: str,
        save: EntrustmentSave,
    ) -> Redirect | Template:
        """A form of the entrustment page: ``save(info, form)`` runs the use case."""
        info = await get_district(district)
        form = await form_of(request)

        async def again(error: dict[str, Any], status: int) -> Template:
            return await self._entrustment(request, runtime, actor, info, entrustment, error, status)

        async def run() -> str:
            await save(info, form)
            return f"/d/{info.slug}/housing_check/entrustments/{entrustment}/console"

        return await submit(run, again, done)

    @get("/entrustments/{entrustment:str}/console", opt=ASSIGNED)
    async def entrustment_page(
        self, request: Request_, runtime: Runtime, actor: Actor, district: str, entrustment: str
    ) -> Template:
        return await self._entrustment(request, runtime, actor, await get_district(district), entrustment)

    @post("/entrustments/{entrustment:str}/console/officers", status_code=HTTP_303_SEE_OTHER)
    async def assign(
        self, request: Request_, runtime: Runtime, actor: Actor, district: str, entrustment: str
    ) -> Redirect | Template:
        async def save(info: DistrictInfo, form: FormMultiDict) -> None:
            names = [n for n in form.getall("officers", []) if isinstance(n, str)]
            await officers.assign_officers(info, actor, entrustment, names)

        return await self._on_entrustment(request, runtime, actor, district, entrustment, "officers", save)

    @post("/entrustments/{entrustment:str}/console/unassign", status_code=HTTP_303_SEE_OTHER)
    async def unassign(
        self, request: Request_, runtime: Runtime, actor: Actor, district: str, entrustment: str
    ) -> Redirect | Template:
        async def save(info: DistrictInfo, form: FormMultiDict) -> None:
            await officers.unassign_officer(info, actor, entrustment, text(form, "username"))

        return await self._on_entrustment(request, runtime, actor, district, entrustment, "unassign", save)

    @post("/entrustments/{entrustment:str}/console/report", status_code=HTTP_303_SEE_OTHER, opt=ASSIGNED)
    async def issue(
        self, request: Request_, runtime: Runtime, actor: Actor, district: str, entrustment: str
    ) -> Redirect | Template:
        info = await get_district(district)
        form = await form_of(request)
        try:
            ask = await self._report_confirmation(runtime, actor, info, entrustment, form)
        except FORM_ERRORS as exc:
            return await self._entrustment(
                request, runtime, actor, info, entrustment, problems_of(exc), exc.status_code
            )
        if ask:
            return await self._entrustment(request, runtime, actor, info, entrustment, confirmation=ask)

        async def save(info: DistrictInfo, form: FormMultiDict) -> None:
            await reports.issue_report(runtime.pm, info, profile_of(runtime, info), actor, entrustment)

        return await self._on_entrustment(request, runtime, actor, district, entrustment, "report", save)

    @staticmethod
    async def _report_confirmation(
        runtime: Runtime, actor: Actor, info: DistrictInfo, entrustment: str, form: FormMultiDict
    ) -> Confirmation | None:
        """出具核查结果报告 closes the entrustment for good: the panel first (how many households, the
        deadline); a household not yet checked is named before anything is asked."""
        detail = await entrustments.entrustment_detail(info, profile_of(runtime, info), actor, entrustment)
        if detail["status"] != "open":
            return None  # the use case answers (already reported)
        households = detail["household_list"]
        for household in households:
            if not household["checked"]:
                raise BadRequest("housing_check_household_unchecked", household=household["household_no"])
        base = f"/d/{info.slug}/housing_check/entrustments/{entrustment}/console"
        return confirmation_pending(
            form,
            Confirmation(
                code="housing_check_issue_report",
                title=PAGE["confirm_report_title"],
                summary=[
                    PAGE["confirm_report_summary"].format(
                        letter_no=detail["letter_no"],
                        office=detail["entrusting_office"],
                        households=len(detail["household_list"]),
                    ),
                    PAGE["confirm_report_deadline"].format(
                        due=people_date(date.fromisoformat(detail["due_on"])), state=detail["state"]
                    ),
                    PAGE["confirm_irreversible"],
                ],
                action=f"{base}/report",
                confirm_label=PAGE["confirm_report_button"],
                cancel_href=base,
                state=confirm_fingerprint(detail["status"], [h["household"] for h in households]),
            ),
        )

    # --- a household ---------------------------------------------------------------------------

    async def _household(
        self,
        request: Request_,
        runtime: Runtime,
        actor: Actor,
        info: DistrictInfo,
        public_id: str,
        household_id: int,
        error: dict[str, Any] | None = None,
        status: int = 200,
        **form: str,
    ) -> Template:
        data = await households.household_detail(info, actor, public_id, household_id)
        return await self._page(
            request,
            actor,
            info,
            "household.html",
            status,
            e=data["entrustment"],
            h=data,
            step_choices=STEP_CHOICES,
            dwelling_kinds=DWELLING_KINDS,
            area_types=AREA_TYPES,
            today=(await district_today(info, profile_of(runtime, info))).isoformat(),
            error=error,
            form=form,
        )

    async def _on_household(
        self,
        request: Request_,
        runtime: Runtime,
        actor: Actor,
        district: str,
        entrustment: str,
        household: str,
        done: str,
        fields: tuple[str, ...],
        save: HouseholdSave,
    ) -> Redirect | Template:
        """A form of the household page: ``save(info, household_id, values, form)`` runs the use case."""
        info = await get_district(district)
        household_id = object_id(household)
        form = await form_of(request)
        values = {k: text(form, k) for k in fields}

        async def again(error: dict[str, Any], status: int) -> Template:
            return await self._household(
                request, runtime, actor, info, entrustment, household_id, error, status, **values
            )

        async def run() -> str:
            check_uploads(request)  # an attachment over the limit: the page again, 413, text kept
            await save(info, household_id, values, form)
            return (
                f"/d/{info.slug}/housing_check/entrustments/{entrustment}/households/{household_id}/console"
            )

        return await submit(run, again, done)

    @get("/entrustments/{entrustment:str}/households/{household:str}/console", opt=ASSIGNED)
    async def household_page(
        self,
        request: Request_,
        runtime: Runtime,
        actor: Actor,
        district: str,
        entrustment: str,
        household: str,
    ) -> Template:
        return await self._household(
            request, runtime, actor, await get_district(district), entrustment, object_id(household)
        )

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/console/steps",
        status_code=HTTP_303_SEE_OTHER,
        request_max_body_size=households.MAX_BODY_BYTES,
        opt={**ASSIGNED, **upload_limit(ATTACHMENT_LIMIT)},
    )
    async def record_step(
        self,
        request: Request_,
        runtime: Runtime,
        actor: Actor,
        district: str,
        entrustment: str,
        household: str,
    ) -> Redirect | Template:
        """A step with its attachments (all saved in one transaction, or nothing)."""

        async def save(
            info: DistrictInfo, household_id: int, values: dict[str, str], form: FormMultiDict
        ) -> None:
            kind, _, result = values["step"].partition(":")
            await households.record_step(
                info,
                profile_of(runtime, info),
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

        return await self._on_household(
            request, runtime, actor, district, entrustment, household, "step", STEP_FIELDS, save
        )

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/console/steps/{step:str}/attachments",
        status_code=HTTP_303_SEE_OTHER,
        request_max_body_size=households.MAX_BODY_BYTES,
        opt={**ASSIGNED, **upload_limit(ATTACHMENT_LIMIT)},
    )
    async def attach(
        self,
        request: Request_,
        runtime: Runtime,
        actor: Actor,
        district: str,
        entrustment: str,
        household: str,
        step: str,
    ) -> Redirect | Template:
        step_id = object_id(step, "housing_check_step_not_found")

        async def save(
            info: DistrictInfo, household_id: int, values: dict[str, str], form: FormMultiDict
        ) -> None:
            files = await read_uploads(form, "data")
            await households.add_attachments(info, actor, entrustment, household_id, step_id, files)

        return await self._on_household(
            request, runtime, actor, district, entrustment, household, "attachment", (), save
        )

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/console/dwellings",
        status_code=HTTP_303_SEE_OTHER,
        opt=ASSIGNED,
    )
    async def add_dwelling(
        self,
        request: Request_,
        runtime: Runtime,
        actor: Actor,
        district: str,
        entrustment: str,
        household: str,
    ) -> Redirect | Template:
        async def save(
            info: DistrictInfo, household_id: int, values: dict[str, str], form: FormMultiDict
        ) -> None:
            fields = {k: v for k, v in values.items() if k != "from_step"}
            step = (
                object_id(values["from_step"], "housing_check_step_not_found")
                if values["from_step"]
                else None
            )
            await dwellings.add_dwelling(info, actor, entrustment, household_id, step=step, **fields)

        return await self._on_household(
            request, runtime, actor, district, entrustment, household, "dwelling", DWELLING_FIELDS, save
        )

    @post(
        "/entrustments/{entrustment:str}/households/{household:str}/console/withdraw",
        status_code=HTTP_303_SEE_OTHER,
        opt=ASSIGNED,
    )
    async def withdraw_dwelling(
        self,
        request: Request_,
        runtime: Runtime,
        actor: Actor,
        district: str,
        entrustment: str,
        household: str,
    ) -> Redirect | Template:
        async def save(
            info: DistrictInfo, household_id: int, values: dict[str, str], form: FormMultiDict
        ) -> None:
            dwelling = object_id(values["dwelling"], "housing_check_dwelling_not_found")
            await dwellings.withdraw_dwelling(
                info, actor, entrustment, household_id, dwelling, values["reason"]
            )

        return await self._on_household(
            request,
            runtime,
            actor,
            district,
            entrustment,
            household,
            "withdraw",
            ("dwelling", "reason"),
            save,
        )


def _file_problem(exc: WuyeError) -> ParsedList:
    """A list that could not be read (or was not given), as a problem shown with the letter's own."""
    return ParsedList(problems=[RowProblem(0, "data", exc.code, exc.message)])
