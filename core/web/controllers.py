"""Core HTTP routes: the staff console (Chinese pages) and the JSON API.

HTTP only: every use case lives in :mod:`core.district_services`; every district-scoped route checks the
actor's access to that district before anything else.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict
from typing import Any, ClassVar

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from core.board import board_for
from core.clock import clock_state, district_today, parse_moment, rehearsal_banner, set_district_clock
from core.district_services import (
    add_district,
    add_estate,
    choose_jurisdiction,
    menu_for,
    plugin_states,
    require_manager,
    require_viewer,
    switch_plugin,
)
from core.districts import DistrictInfo, get_district, list_districts, list_estates
from core.errors import BadRequest, Forbidden, Unauthorized, WuyeError
from core.identity import audit, auth, throttle
from core.identity.auth import CSRF_SEED_COOKIE, ESTATE_ROLES, SESSION_COOKIE, TASK_ROLES, Actor
from core.messages import message
from core.plugins import get_plugins
from core.runtime import Runtime
from core.web.access import current_actor
from core.web.confirm import Confirmation, fingerprint, pending
from core.web.routing import Reach, admits, requires_district_access
from core.web.staff_pages import StaffController

#: The guard of every district route: a role in the district that the route admits (officers: all).
DISTRICT = [requires_district_access]
#: The district's own pages (its home, estates, duties): every role held in the district sees them,
#: narrowed to what it reaches (an estate role its estate; a checker no estate at all).
EVERY_ROLE = admits(*ESTATE_ROLES, *TASK_ROLES)


def runtime_of(request: Request[Any, Any, Any]) -> Runtime:
    return request.app.state["runtime"]


async def visible_districts(actor: Actor) -> list[DistrictInfo]:
    return await list_districts(None if actor.is_city_admin else actor.district_ids())


async def district_for(actor: Actor, slug: str) -> DistrictInfo:
    district = await get_district(slug)
    require_viewer(actor, district)
    return district


def safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console"


# --- schemas ----------------------------------------------------------------------------------------


class PluginSwitch(msgspec.Struct):
    enabled: bool


class DistrictCreate(msgspec.Struct):
    slug: str
    name: str
    region: str = ""
    jurisdiction: str = ""
    training: bool = False  #: a training district (演练): only at creation


class EstateCreate(msgspec.Struct):
    code: str
    name: str
    address: str = ""


class JurisdictionChoice(msgspec.Struct):
    code: str


class ClockSetting(msgspec.Struct):
    """A training district's clock: ``at`` (local time or ISO 8601 with an offset), or null for real time."""

    at: str | None = None


# --- console pages ----------------------------------------------------------------------------------


class ConsoleController(Controller):
    """The staff console: login, my districts, a district's estates and plugin switches."""

    include_in_schema = False

    @get("/", sync_to_thread=False)
    def home(self) -> Redirect:
        return Redirect("/console")

    @get("/login")
    async def login_page(self, request: Request[Any, Any, Any], next: str = "/console") -> Response[Any]:
        seed = request.cookies.get(CSRF_SEED_COOKIE) or secrets.token_urlsafe(24)
        response = Template(
            template_name="core/login.html",
            context={"csrf_token": auth.csrf_token_for(seed), "next": safe_next(next), "error": None},
        )
        response.cookies.append(_seed_cookie(request, seed))
        return response

    # The login form carries its own CSRF token (an HMAC of the seed cookie, checked here): the
    # middleware's check would compare it with a stale session cookie and lock the browser out.
    @post("/login", status_code=HTTP_303_SEE_OTHER, opt={"csrf_exempt": True})
    async def login(self, request: Request[Any, Any, Any]) -> Response[Any]:
        runtime = runtime_of(request)
        form = await request.form()
        seed = request.cookies.get(CSRF_SEED_COOKIE)
        if not auth.csrf_matches(seed, form.get("csrf_token")):
            raise Forbidden("csrf_failed")
        username = str(form.get("username", "")).strip()
        address = request.client.host if request.client else ""

        def form_again(error: WuyeError) -> Response[Any]:
            return Template(
                template_name="core/login.html",
                context={
                    "csrf_token": auth.csrf_token_for(seed or ""),
                    "next": safe_next(form.get("next")),
                    "error": error.message,
                    "username": username,
                },
                status_code=error.status_code,
            )

        try:
            await throttle.refuse_if_throttled(username, address)
        except throttle.LoginThrottled as exc:
            await audit.record(f"anonymous@{address}", "auth.login_throttled", target=username[:200])
            return form_again(exc)
        try:
            staff_id = await auth.authenticate(username, str(form.get("password", "")))
        except Unauthorized as exc:
            await throttle.note_failure(username, address)
            return form_again(exc)
        await throttle.clear_failures(username)
        if stale := request.cookies.get(SESSION_COOKIE):
            await auth.close_session(stale)  # a new session id at every login, never the old one
        token = await auth.open_session(staff_id, runtime.settings.session_hours)
        await audit.record(f"staff:{staff_id}:{username}", "auth.login", target=username)
        response = Redirect(safe_next(form.get("next")), status_code=HTTP_303_SEE_OTHER)
        response.cookies.append(
            Cookie(
                key=SESSION_COOKIE,
                value=token,
                httponly=True,
                samesite="lax",
                secure=runtime.settings.cookie_secure,
                path="/",
                max_age=runtime.settings.session_hours * 3600,
            )
        )
        return response

    @post("/logout", status_code=HTTP_303_SEE_OTHER)
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        actor = await current_actor(request)
        if token:
            await auth.close_session(token)
        if actor is not None:
            await audit.record(actor.label, "auth.logout", target=actor.username)
        response = Redirect("/login", status_code=HTTP_303_SEE_OTHER)
        response.cookies.append(Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/", httponly=True))
        return response

    @get("/console")
    async def my_districts(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        profiles = runtime_of(request).jurisdictions
        return Template(
            template_name="core/console.html",
            context={
                "profile_names": {p.code: p.name for p in profiles.all()} | {"": profiles.get("").name},
                "actor": actor,
                "csrf_token": actor.csrf_token,
                "districts": await visible_districts(actor),
            },
        )

    @get("/d/{district:str}", guards=DISTRICT, opt=EVERY_ROLE)
    async def district_home(
        self, request: Request[Any, Any, Any], actor: Actor, reach: Reach, district: str
    ) -> Template:
        runtime = runtime_of(request)
        info = await district_for(actor, district)
        profile = runtime.jurisdictions.get(info.jurisdiction_code)
        items, panels = await board_for(runtime, info, actor, await district_today(info, profile))
        return Template(
            template_name="core/district.html",
            context={
                "board": items,
                "panels": panels,
                "actor": actor,
                "csrf_token": actor.csrf_token,
                "district": info,
                "rehearsal": rehearsal_banner(info, profile),
                "menu": await menu_for(runtime, info, actor),
                "estates": reach.narrow(await list_estates(info), key="id"),
                "profile": profile,
                "profiles": runtime.jurisdictions.all(),
                "can_manage": actor.can_manage_district(info.id),
                # a training district's clock, for its officers to set (演练)
                "clock": clock_state(info, profile)
                if info.training and actor.can_manage_district(info.id)
                else None,
            },
        )

    @get("/d/{district:str}/plugins", guards=DISTRICT)
    async def plugin_switches(self, request: Request[Any, Any, Any], actor: Actor, district: str) -> Template:
        return await self._plugins_page(request, actor, await district_for(actor, district))

    @staticmethod
    async def _plugins_page(
        request: Request[Any, Any, Any],
        actor: Actor,
        info: DistrictInfo,
        confirmation: Confirmation | None = None,
    ) -> Template:
        runtime = runtime_of(request)
        return Template(
            template_name="core/plugins.html",
            status_code=confirmation.status_code if confirmation else 200,
            context={
                "actor": actor,
                "csrf_token": actor.csrf_token,
                "district": info,
                "rehearsal": rehearsal_banner(info, runtime.jurisdictions.get(info.jurisdiction_code)),
                "menu": await menu_for(runtime, info, actor),
                "plugins": await plugin_states(runtime, info),
                "can_manage": actor.can_manage_district(info.id),
                "confirmation": confirmation,
            },
        )

    @post("/d/{district:str}/plugins/{plugin:str}", status_code=HTTP_303_SEE_OTHER, guards=DISTRICT)
    async def switch_plugin_form(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, plugin: str
    ) -> Redirect | Template:
        """Switch a duty on at once; off only after the confirmation panel (its pages go away)."""
        runtime = runtime_of(request)
        info = await district_for(actor, district)
        require_manager(actor, info)
        form = await request.form()
        value = str(form.get("enabled", ""))
        if value not in {"0", "1"}:
            raise BadRequest("validation_failed", detail="enabled 只能是 0 或 1")
        if value == "0":
            states = {p["name"]: p for p in await plugin_states(runtime, info)}
            state = states.get(plugin)
            if state is not None and state["enabled"]:
                words = {"title": state["title"], "district": info.name}
                ask = pending(
                    form,
                    Confirmation(
                        code="plugin_off",
                        title=message("confirm_plugin_off_title", **words),
                        summary=[message("confirm_plugin_off_summary", **words)],
                        action=f"/d/{info.slug}/plugins/{plugin}",
                        confirm_label=message("confirm_plugin_off_button"),
                        cancel_href=f"/d/{info.slug}/plugins",
                        state=fingerprint(plugin, True),
                    ),
                )
                if ask:
                    return await self._plugins_page(request, actor, info, ask)
        await switch_plugin(runtime, actor.label, info, plugin, value == "1")
        return Redirect(f"/d/{info.slug}/plugins", status_code=HTTP_303_SEE_OTHER)

    @post("/d/{district:str}/estates", status_code=HTTP_303_SEE_OTHER, guards=DISTRICT)
    async def add_estate_form(self, request: Request[Any, Any, Any], actor: Actor, district: str) -> Redirect:
        runtime = runtime_of(request)
        info = await district_for(actor, district)
        require_manager(actor, info)
        form = await request.form()
        await add_estate(
            runtime,
            actor.label,
            info,
            str(form.get("code", "")).strip(),
            str(form.get("name", "")),
            str(form.get("address", "")),
        )
        return Redirect(f"/d/{info.slug}", status_code=HTTP_303_SEE_OTHER)

    @post("/d/{district:str}/clock", status_code=HTTP_303_SEE_OTHER, guards=DISTRICT)
    async def set_clock_form(self, request: Request[Any, Any, Any], actor: Actor, district: str) -> Redirect:
        """A training district's clock set from its page (``at``: the form's date and time, local), or
        back to real time (``reset``); a production district refuses (409)."""
        runtime = runtime_of(request)
        info = await district_for(actor, district)
        require_manager(actor, info)
        form = await request.form()
        at = None
        if not form.get("reset"):
            at = parse_moment(str(form.get("at", "")), runtime.jurisdictions.get(info.jurisdiction_code))
        await set_district_clock(runtime, actor.label, info, at)
        return Redirect(f"/d/{info.slug}", status_code=HTTP_303_SEE_OTHER)

    @post("/d/{district:str}/jurisdiction", status_code=HTTP_303_SEE_OTHER, guards=DISTRICT)
    async def choose_jurisdiction_form(
        self, request: Request[Any, Any, Any], actor: Actor, district: str
    ) -> Redirect:
        runtime = runtime_of(request)
        info = await district_for(actor, district)
        require_manager(actor, info)
        form = await request.form()
        await choose_jurisdiction(runtime, actor.label, info, str(form.get("code", "")))
        return Redirect(f"/d/{info.slug}", status_code=HTTP_303_SEE_OTHER)


def _seed_cookie(request: Request[Any, Any, Any], seed: str) -> Cookie:
    return Cookie(
        key=CSRF_SEED_COOKIE,
        value=seed,
        httponly=True,
        samesite="lax",
        secure=runtime_of(request).settings.cookie_secure,
        path="/",
    )


# --- JSON API ---------------------------------------------------------------------------------------


class MetaController(Controller):
    """Health and introspection."""

    path = "/-"
    tags: ClassVar[list[str]] = ["core"]

    @get("/health", operation_id="CoreHealth")
    async def health(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        runtime = runtime_of(request)
        from core.data.tables import District

        await District.count()
        return {"status": "ok", "database": runtime.engine.engine_type}

    @get("/plugins", operation_id="CoreListPlugins")
    async def plugins(self, request: Request[Any, Any, Any], actor: Actor) -> list[dict[str, Any]]:
        return [
            {
                "name": p.name,
                "title": p.title,
                "version": p.version,
                "essential": p.essential,
                "duty": p.duty,
                "hooks": list(p.hooks),
            }
            for p in get_plugins(runtime_of(request).pm)
        ]


class ApiController(Controller):
    """Districts, estates, plugin switches, jurisdictions and the audit log, as JSON."""

    path = "/api"
    tags: ClassVar[list[str]] = ["core"]

    @get("/me", operation_id="CoreMe")
    async def me(self, actor: Actor) -> dict[str, Any]:
        return {
            "username": actor.username,
            "display_name": actor.display_name,
            "roles": [asdict(g) for g in actor.grants],
        }

    @get("/districts", operation_id="CoreListDistricts")
    async def districts(self, actor: Actor) -> list[dict[str, Any]]:
        return [d.to_dict() for d in await visible_districts(actor)]

    @post("/districts", operation_id="CoreCreateDistrict", status_code=201)
    async def create_district(
        self, request: Request[Any, Any, Any], actor: Actor, data: DistrictCreate
    ) -> dict[str, Any]:
        if not actor.is_city_admin:
            raise Forbidden("forbidden")
        district = await add_district(
            runtime_of(request),
            actor.label,
            data.slug,
            data.name,
            data.region,
            data.jurisdiction,
            training=data.training,
        )
        return district.to_dict()

    @get(
        "/d/{district:str}",
        operation_id="CoreGetDistrict",
        guards=DISTRICT,
        opt=EVERY_ROLE,
    )
    async def get_district(self, actor: Actor, district: str) -> dict[str, Any]:
        return (await district_for(actor, district)).to_dict()

    @put("/d/{district:str}/jurisdiction", operation_id="CoreSetJurisdiction", guards=DISTRICT)
    async def set_jurisdiction(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, data: JurisdictionChoice
    ) -> dict[str, Any]:
        info = await district_for(actor, district)
        require_manager(actor, info)
        return (await choose_jurisdiction(runtime_of(request), actor.label, info, data.code)).to_dict()

    @get(
        "/d/{district:str}/estates",
        operation_id="CoreListEstates",
        guards=DISTRICT,
        opt=EVERY_ROLE,
    )
    async def estates(self, actor: Actor, reach: Reach, district: str) -> list[dict[str, Any]]:
        info = await district_for(actor, district)
        return [
            {k: v for k, v in e.items() if k != "id"} for e in reach.narrow(await list_estates(info), "id")
        ]

    @post("/d/{district:str}/estates", operation_id="CoreCreateEstate", status_code=201, guards=DISTRICT)
    async def create_estate(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, data: EstateCreate
    ) -> dict[str, Any]:
        info = await district_for(actor, district)
        require_manager(actor, info)
        estate = await add_estate(runtime_of(request), actor.label, info, data.code, data.name, data.address)
        return {k: v for k, v in estate.items() if k != "id"}

    @get(
        "/d/{district:str}/plugins",
        operation_id="CoreListDistrictPlugins",
        guards=DISTRICT,
        opt=EVERY_ROLE,
    )
    async def district_plugins(
        self, request: Request[Any, Any, Any], actor: Actor, district: str
    ) -> list[dict[str, Any]]:
        info = await district_for(actor, district)
        return await plugin_states(runtime_of(request), info)

    @put("/d/{district:str}/plugins/{plugin:str}", operation_id="CoreSwitchPlugin", guards=DISTRICT)
    async def switch(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, plugin: str, data: PluginSwitch
    ) -> dict[str, Any]:
        info = await district_for(actor, district)
        require_manager(actor, info)
        changed = await switch_plugin(runtime_of(request), actor.label, info, plugin, data.enabled)
        return {"plugin": plugin, "enabled": data.enabled, "changed": changed}

    @get("/d/{district:str}/clock", operation_id="CoreGetClock", guards=DISTRICT)
    async def clock(self, request: Request[Any, Any, Any], actor: Actor, district: str) -> dict[str, Any]:
        info = await district_for(actor, district)
        require_manager(actor, info)
        return clock_state(info, runtime_of(request).jurisdictions.get(info.jurisdiction_code))

    @put("/d/{district:str}/clock", operation_id="CoreSetClock", guards=DISTRICT)
    async def set_clock(
        self, request: Request[Any, Any, Any], actor: Actor, district: str, data: ClockSetting
    ) -> dict[str, Any]:
        info = await district_for(actor, district)
        require_manager(actor, info)
        runtime = runtime_of(request)
        profile = runtime.jurisdictions.get(info.jurisdiction_code)
        moment = parse_moment(data.at, profile) if data.at is not None else None
        return await set_district_clock(runtime, actor.label, info, moment)

    @get("/d/{district:str}/audit", operation_id="CoreDistrictAudit", guards=DISTRICT)
    async def district_audit(self, actor: Actor, district: str, limit: int = 100) -> list[dict[str, Any]]:
        info = await district_for(actor, district)
        require_manager(actor, info)
        from core.data.tables import AuditEntry

        rows = (
            await AuditEntry.select()
            .where(AuditEntry.district == info.slug)
            .order_by(AuditEntry.seq, ascending=False)
            .limit(max(1, min(limit, 1000)))
        )
        return [{k: v for k, v in r.items() if k != "id"} for r in rows]

    @get("/jurisdictions", operation_id="CoreListJurisdictions")
    async def jurisdictions(self, request: Request[Any, Any, Any], actor: Actor) -> list[dict[str, Any]]:
        runtime = runtime_of(request)
        return [
            {
                "code": p.code,
                "name": p.name,
                "summary": p.summary,
                "default": p.code == runtime.jurisdictions.default_code,
            }
            for p in runtime.jurisdictions.all()
        ]

    @get("/jurisdictions/{code:str}", operation_id="CoreGetJurisdiction")
    async def jurisdiction(self, request: Request[Any, Any, Any], actor: Actor, code: str) -> dict[str, Any]:
        return runtime_of(request).jurisdictions.get(code).to_dict()


CORE_ROUTE_HANDLERS = [ConsoleController, MetaController, ApiController, StaffController]
