"""The group_rental console: server-rendered pages and their CSRF-protected forms.

Each form posts to a handler that turns it into the API's dict and calls the same service; success
answers 303 to the case page (``?done=<step>``), a refusal renders the page again with the error in
Chinese naming the field, and what was typed still in the form (the service wrote nothing: each one
is a single transaction).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from core import (
    Actor,
    Confirmation,
    DistrictInfo,
    ListColumn,
    ListFilter,
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
    list_estates,
    list_view,
    megabytes,
    people_time,
    read_form,
    require_manager,
    upload_limit,
)
from plugins.group_rental.messages import CONFIRM, CRITERIA, DONE, UI, USES, VALUE_LABELS, label
from plugins.group_rental.rules import GroupRentalRules
from plugins.group_rental.services import cases, escalation, inspections, orders, photos
from plugins.group_rental.services.common import MAX_PHOTO_BYTES, default_office, profile_of
from plugins.group_rental.web import forms

#: a console form may carry several photographs
MAX_FORM_BYTES = 4 * MAX_PHOTO_BYTES + 256 * 1024
OPEN_FIELDS = ("address", "party", "source", "complaint", "estate")
CASE_STATUSES = (
    "open",
    "no_violation",
    "determined",
    "ordered",
    "served",
    "rectified",
    "unrectified",
    "escalated",
)
CASE_SOURCES = ("complaint", "inspection")
#: The cases list: what it can be sorted by and searched in.
CASE_COLUMNS = (
    ListColumn("case", UI["col_case"], searchable=True),
    ListColumn("address", UI["col_address"], searchable=True),
    ListColumn("party", UI["col_party"], searchable=True),
    ListColumn("status", UI["col_status"]),
    ListColumn("created_at", UI["col_created"]),
)
ORDER_FIELDS = ("addressee", "issuing_office", "doc_number")
SERVICE_FIELDS = ("method", "served_at", "received_by", "served_by", "note")


def base(info: DistrictInfo) -> str:
    return f"/d/{info.slug}/group_rental"


def to_case(info: DistrictInfo, case: str, done: str) -> Redirect:
    return Redirect(f"{base(info)}/cases/{quote(case)}/console?done={done}", status_code=HTTP_303_SEE_OTHER)


async def files(form: FormMultiDict, key: str) -> list[Upload]:
    """The files chosen in a file input (an input left empty sends one nameless empty part)."""
    found = []
    for item in form.getall(key, []):
        if isinstance(item, UploadFile) and (item.filename or ""):
            found.append(Upload(filename=item.filename, content=await item.read()))
    return found


async def page(
    request: Request[Any, Any, Any], actor: Actor, info: DistrictInfo, name: str, status: int, **context: Any
) -> Template:
    return await district_page(
        request,
        actor,
        info,
        f"group_rental/{name}",
        status_code=status,
        base=base(info),
        can_manage=actor.can_manage_district(info.id),
        ui=UI,
        label=label,
        **context,
    )


async def home_page(
    request: Request[Any, Any, Any],
    actor: Actor,
    runtime: Runtime,
    info: DistrictInfo,
    *,
    error: str = "",
    values: dict[str, str] | None = None,
    status: int = 200,
    confirmation: Confirmation | None = None,
) -> Template:
    profile = profile_of(runtime, info.jurisdiction_code)
    listed = await cases.list_cases(info)
    for case in listed:
        case["status_label"] = label(f"status.{case['status']}")
    listing = list_view(
        listed,
        request.query_params,
        columns=CASE_COLUMNS,
        filters=(
            ListFilter("status", UI["col_status"], tuple((s, label(f"status.{s}")) for s in CASE_STATUSES)),
            ListFilter("source", UI["col_source"], tuple((s, label(f"source.{s}")) for s in CASE_SOURCES)),
        ),
        default_sort="-created_at",
    )
    return await page(
        request,
        actor,
        info,
        "home.html",
        status,
        cases=listing.rows,
        listing=listing,
        overdue=await cases.overdue_cases(runtime, info),
        profile=profile,
        no_limits=GroupRentalRules.from_profile(profile).min_area_per_person_centi is None,
        estates=await list_estates(info),
        error=error,
        values=values or {"source": "complaint"},
        confirmation=confirmation,
    )


def _now_local(timezone: str) -> str:
    return datetime.now(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M")


async def case_page(
    request: Request[Any, Any, Any],
    actor: Actor,
    runtime: Runtime,
    info: DistrictInfo,
    public_id: str,
    *,
    done: str = "",
    error: str = "",
    form: str = "",
    values: dict[str, Any] | None = None,
    status: int = 200,
    upload_error: str = "",
    confirmation: Confirmation | None = None,
) -> Template:
    """The case (audited as a read), its determinations, documents and the forms its status allows."""
    case = await cases.view_case(runtime, info, public_id, actor.label)
    profile = profile_of(runtime, case["jurisdiction"])
    today = await district_today(info, profile)
    active = next((o for o in reversed(case["orders"]) if o["status"] in ("draft", "served")), None)
    overdue_days = (
        (today - datetime.fromisoformat(active["deadline"]).date()).days
        if active and active["status"] == "served" and case["status"] == "served"
        else 0
    )
    last = case["inspections"][-1]["flat"] if case["inspections"] else None
    if form == "inspection" and values:
        inspection = values
    else:
        inspection = {
            "inspected_on": today.isoformat(),
            "inspectors": "",
            "rooms": last["rooms"] if last else [{"designed_use": "living", "let": True}],
            "collective_dormitory": bool(last and last["collective_dormitory"]),
            "agency_managed": bool(last and last["agency_managed"]),
        }
    return await page(
        request,
        actor,
        info,
        "case.html",
        status,
        case=case,
        # a stored moment (ISO 8601 with offset) as the district's people read it
        when=lambda iso: people_time(datetime.fromisoformat(iso), profile) if iso else "",
        status_label=label(f"status.{case['status']}"),
        criteria=CRITERIA,
        uses=USES,
        value_labels=VALUE_LABELS,
        active=active,
        overdue_days=max(overdue_days, 0),
        inspection=inspection,
        form=form,
        values=values or {},
        error=error,
        done=DONE.get(done, ""),
        now=_now_local(profile.timezone),
        default_office=default_office(info),
        posting_photos=[p for p in case["photos"] if p["purpose"] == "posting"],
        upload_error=upload_error,
        photo_limit=UI["file_limit_each"].format(mb=megabytes(MAX_PHOTO_BYTES)),
        confirmation=confirmation,
    )


Call = Callable[[DistrictInfo, dict[str, Any], FormMultiDict], Awaitable[Any]]
Ask = Callable[[DistrictInfo, dict[str, Any], FormMultiDict], Awaitable[Confirmation | None]]


def fields(*keys: str) -> Callable[[FormMultiDict], dict[str, Any]]:
    """Read these text fields of a form (as typed, trimmed)."""
    return lambda form: {key: forms.text(form, key) for key in keys}


async def submit(
    request: Request[Any, Any, Any],
    actor: Actor,
    runtime: Runtime,
    district: str,
    case: str,
    form_name: str,
    read: Callable[[FormMultiDict], dict[str, Any]],
    call: Call,
    done: Callable[[Any], str] | str,
    confirm: Ask | None = None,
) -> Response[Any]:
    """Read the form, ``call`` the service; 303 to the case page, or on a refusal the case page again
    with the error in Chinese and what was typed (the service wrote nothing). ``confirm`` (for what
    cannot be undone) may answer first with the case page and its confirmation panel."""
    info = await get_district(district)
    require_manager(actor, info)
    await cases.get_case(info, case)  # an unknown case is the plugin's own 404, not a form error
    form = await read_form(request)  # a photo over the limit: dropped, named by check_uploads
    values = read(form)
    try:
        check_uploads(request)  # the case page again, 413, what was typed kept, the error at the field
        ask = await confirm(info, values, form) if confirm else None
        if ask:
            return await case_page(
                request, actor, runtime, info, case, values=values, status=ask.status_code, confirmation=ask
            )
        result = await call(info, values, form)
    except WuyeError as exc:
        message = forms.page_error(exc, values.get("rooms"))
        return await case_page(
            request,
            actor,
            runtime,
            info,
            case,
            error=message,
            form=form_name,
            values=values,
            status=exc.status_code,
            upload_error=message if isinstance(exc, UploadTooLarge) else "",
        )
    return to_case(info, case, done(result) if callable(done) else done)


class GroupRentalConsole(Controller):
    """Pages and forms for officers (the JSON API is :mod:`plugins.group_rental.web.api`). Not API:
    the forms answer with a page or a redirect, so they stay out of the OpenAPI document."""

    include_in_schema = False

    @get("/", operation_id="GroupRentalHome")
    async def home(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str
    ) -> Template:
        return await home_page(request, actor, runtime, await get_district(district))

    @post("/console/cases", operation_id="GroupRentalOpenCaseForm")
    async def open_case(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str
    ) -> Response[Any]:
        info = await get_district(district)
        require_manager(actor, info)
        form = await request.form()
        values = fields(*OPEN_FIELDS)(form)
        same = [] if is_confirmed(form) else await cases.open_cases_at(info, values["address"])
        if same:
            zone = profile_of(runtime, info.jurisdiction_code)
            ask = confirmation_pending(
                form,
                Confirmation(
                    code="group_rental_open_case_exists",
                    title=CONFIRM["duplicate_title"],
                    summary=[
                        *(
                            CONFIRM["duplicate_line"].format(
                                case=c["public_id"],
                                address=c["address"],
                                opened=people_time(c["created_at"], zone),
                                status=label(f"status.{c['status']}"),
                            )
                            for c in same
                        ),
                        CONFIRM["duplicate_hint"],
                    ],
                    action=f"{base(info)}/console/cases",
                    confirm_label=CONFIRM["duplicate_button"],
                    cancel_href=f"{base(info)}/",
                    warning=True,
                    status_code=409,
                ),
            )
            if ask:
                return await home_page(
                    request, actor, runtime, info, values=values, status=ask.status_code, confirmation=ask
                )
        try:
            created = await cases.open_case(runtime, info, values, actor.label)
        except WuyeError as exc:
            return await home_page(
                request,
                actor,
                runtime,
                info,
                error=forms.page_error(exc),
                values=values,
                status=exc.status_code,
            )
        return to_case(info, created["case"], "opened")

    @get("/cases/{case:str}/console", operation_id="GroupRentalCasePage")
    async def case(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        runtime: Runtime,
        district: str,
        case: str,
        done: str = "",
    ) -> Template:
        return await case_page(request, actor, runtime, await get_district(district), case, done=done)

    @post("/cases/{case:str}/console/inspections", operation_id="GroupRentalInspectionForm")
    async def inspect(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str, case: str
    ) -> Response[Any]:
        async def call(info: DistrictInfo, values: dict[str, Any], _: FormMultiDict) -> Any:
            return await inspections.record_inspection(
                runtime, info, case, forms.inspection_data(values), actor.label
            )

        def done(result: dict[str, Any]) -> str:  # the page says what the determination was
            return str(result["status"])

        return await submit(
            request, actor, runtime, district, case, "inspection", forms.inspection_values, call, done
        )

    @post(
        "/cases/{case:str}/console/photos",
        operation_id="GroupRentalPhotoForm",
        request_max_body_size=MAX_FORM_BYTES,
        opt=upload_limit(MAX_PHOTO_BYTES),
    )
    async def photos(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str, case: str
    ) -> Response[Any]:
        async def call(info: DistrictInfo, values: dict[str, Any], form: FormMultiDict) -> Any:
            chosen = await files(form, "photos")
            return await photos.add_photos(info, case, chosen, actor.label, caption=values["caption"])

        return await submit(
            request, actor, runtime, district, case, "photos", fields("caption"), call, "photos"
        )

    @post("/cases/{case:str}/console/orders", operation_id="GroupRentalOrderForm")
    async def issue(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str, case: str
    ) -> Response[Any]:
        async def call(info: DistrictInfo, values: dict[str, Any], _: FormMultiDict) -> Any:
            return await orders.issue_order(runtime, info, case, values, actor.label)

        return await submit(
            request, actor, runtime, district, case, "order", fields(*ORDER_FIELDS), call, "ordered"
        )

    @post("/cases/{case:str}/console/orders/{number:str}", operation_id="GroupRentalEditOrderForm")
    async def edit(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        runtime: Runtime,
        district: str,
        case: str,
        number: str,
    ) -> Response[Any]:
        async def call(info: DistrictInfo, values: dict[str, Any], _: FormMultiDict) -> Any:
            return await orders.update_order(info, case, orders.order_number(number), values, actor.label)

        return await submit(
            request, actor, runtime, district, case, "edit", fields(*ORDER_FIELDS), call, "edited"
        )

    @post("/cases/{case:str}/console/orders/{number:str}/supersede", operation_id="GroupRentalSupersedeForm")
    async def supersede(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        runtime: Runtime,
        district: str,
        case: str,
        number: str,
    ) -> Response[Any]:
        async def call(info: DistrictInfo, values: dict[str, Any], _: FormMultiDict) -> Any:
            given = {key: value for key, value in values.items() if value}  # empty: keep the old order's
            number_ = orders.order_number(number)
            return await orders.supersede_order(runtime, info, case, number_, given, actor.label)

        async def confirm(
            info: DistrictInfo, values: dict[str, Any], form: FormMultiDict
        ) -> Confirmation | None:
            row = await cases.get_case(info, case)
            order = await orders.get_order(row, orders.order_number(number))
            if order["status"] == "superseded":
                return None  # the use case refuses it, beside the form
            words = {"number": order["number"], "status": label(f"order.{order['status']}")}
            return confirmation_pending(
                form,
                Confirmation(
                    code="group_rental_supersede",
                    title=CONFIRM["supersede_title"].format(**words),
                    summary=[CONFIRM["supersede_summary"].format(**words), CONFIRM["irreversible"]],
                    action=f"{base(info)}/cases/{quote(case)}/console/orders/{quote(number)}/supersede",
                    confirm_label=CONFIRM["supersede_button"],
                    cancel_href=f"{base(info)}/cases/{quote(case)}/console",
                    state=confirm_fingerprint(order["status"]),
                ),
            )

        read = fields(*ORDER_FIELDS)
        return await submit(
            request, actor, runtime, district, case, "supersede", read, call, "superseded", confirm
        )

    @post(
        "/cases/{case:str}/console/orders/{number:str}/service",
        operation_id="GroupRentalServiceForm",
        request_max_body_size=MAX_FORM_BYTES,
        opt=upload_limit(MAX_PHOTO_BYTES),
    )
    async def serve(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        runtime: Runtime,
        district: str,
        case: str,
        number: str,
    ) -> Response[Any]:
        async def call(info: DistrictInfo, values: dict[str, Any], form: FormMultiDict) -> Any:
            zone = profile_of(runtime, (await cases.get_case(info, case))["jurisdiction_code"]).timezone
            data = {
                **values,
                "served_at": forms.local_datetime(values["served_at"], zone),
                "photos": [v for v in form.getall("photo", []) if isinstance(v, str)],
            }
            uploads = await files(form, "photos")
            return await orders.record_service(
                runtime, info, case, orders.order_number(number), data, actor.label, uploads=uploads
            )

        return await submit(
            request, actor, runtime, district, case, "service", fields(*SERVICE_FIELDS), call, "served"
        )

    @post("/cases/{case:str}/console/escalation", operation_id="GroupRentalEscalationForm")
    async def escalate(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str, case: str
    ) -> Response[Any]:
        async def call(info: DistrictInfo, values: dict[str, Any], _: FormMultiDict) -> Any:
            return await escalation.escalate(
                runtime, info, case, {k: v for k, v in values.items() if v}, actor.label
            )

        async def confirm(
            info: DistrictInfo, values: dict[str, Any], form: FormMultiDict
        ) -> Confirmation | None:
            row = await cases.get_case(info, case)
            if row["status"] != "unrectified":
                return None  # the use case refuses it, beside the form
            recipient = values.get("recipient") or escalation.default_recipient(info)
            return confirmation_pending(
                form,
                Confirmation(
                    code="group_rental_escalate",
                    title=CONFIRM["escalate_title"],
                    summary=[
                        CONFIRM["escalate_summary"].format(
                            case=case, address=row["address"], recipient=recipient
                        ),
                        CONFIRM["irreversible"],
                    ],
                    action=f"{base(info)}/cases/{quote(case)}/console/escalation",
                    confirm_label=CONFIRM["escalate_button"],
                    cancel_href=f"{base(info)}/cases/{quote(case)}/console",
                    state=confirm_fingerprint(row["status"]),
                ),
            )

        read = fields("recipient")
        return await submit(
            request, actor, runtime, district, case, "escalation", read, call, "escalated", confirm
        )
