"""The console's 账号管理 page: a district administrator manages the district's staff accounts.

Every action is a form post that answers with the page again: with the one-time password or token
when one was made (never in a redirect's URL, never stored), or with the error beside the form that
caused it. The use cases live in :mod:`core.identity.accounts`.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template

from core.clock import rehearsal_banner
from core.district_services import menu_for
from core.districts import DistrictInfo, get_district, list_estates
from core.errors import WuyeError
from core.identity import accounts
from core.identity.auth import ESTATE_ROLES, ROLE_LABELS, Actor
from core.jurisdiction import people_time
from core.messages import message
from core.runtime import Runtime
from core.web.errors import wants_html
from core.web.routing import requires_district_access

Request_ = Request[Any, Any, Any]


def _runtime(request: Request_) -> Runtime:
    return request.app.state["runtime"]


class StaffController(Controller):
    path = "/d/{district:str}/staff"
    #: officers pass the guard; each handler then asks for a district administrator
    guards = [requires_district_access]  # noqa: RUF012 (Litestar declares it an instance variable)
    include_in_schema = False

    async def _page(
        self,
        request: Request_,
        actor: Actor,
        district: DistrictInfo,
        *,
        status_code: int = 200,
        error: WuyeError | None = None,
        form: str = "",
        username: str = "",
        secret: dict[str, str] | None = None,
        done: str = "",
    ) -> Template:
        runtime = _runtime(request)
        profile = runtime.jurisdictions.get(district.jurisdiction_code)
        people = await accounts.district_staff(district)
        for person in people:
            for token in person["tokens"]:
                token["created"] = people_time(token["created_at"], profile)
                token["expires"] = (
                    people_time(token["expires_at"], profile) if token["expires_at"] else "长期"
                )
        return Template(
            template_name="core/staff.html",
            status_code=status_code,
            context={
                "actor": actor,
                "csrf_token": actor.csrf_token,
                "district": district,
                "rehearsal": rehearsal_banner(district, profile),
                "menu": await menu_for(runtime, district, actor),
                "people": people,
                "roles": accounts.role_choices(),
                "estate_roles": ESTATE_ROLES,
                "role_labels": ROLE_LABELS,
                "estates": await list_estates(district),
                "token_days": accounts.TOKEN_DAYS,
                "error": error.message if error else "",
                "error_form": form,
                "error_username": username,
                "secret": secret,
                "done": done,
                "values": dict(await request.form()) if request.method == "POST" else {},
            },
        )

    async def _act(
        self, request: Request_, actor: Actor, district: str, form: str, username: str, action: Any
    ) -> Template:
        info = await get_district(district)
        accounts.require_staff_manager(actor, info)
        try:
            result = await action(info, await request.form())
        except WuyeError as exc:
            if not wants_html(request):  # a program: the JSON error every route gives
                raise
            status = exc.status_code if exc.status_code < 500 else 400
            return await self._page(
                request, actor, info, status_code=status, error=exc, form=form, username=username
            )
        secret, done = result if isinstance(result, tuple) else (None, result)
        return await self._page(request, actor, info, secret=secret, done=done)

    @get("/")
    async def page(self, request: Request_, actor: Actor, district: str) -> Template:
        info = await get_district(district)
        accounts.require_staff_manager(actor, info)
        return await self._page(request, actor, info)

    @post("/", status_code=200)
    async def add(self, request: Request_, actor: Actor, district: str) -> Template:
        async def action(info: DistrictInfo, form: Any) -> Any:
            username = str(form.get("username", "")).strip().lower()
            password = await accounts.add_account(
                actor,
                info,
                username,
                str(form.get("display_name", "")),
                str(form.get("role", "")),
                str(form.get("estate", "")),
            )
            return {"kind": "password", "username": username, "value": password}, message(
                "staff_done_create", username=username
            )

        return await self._act(request, actor, district, "add", "", action)

    @post("/{username:str}/active", status_code=200)
    async def set_active(self, request: Request_, actor: Actor, district: str, username: str) -> Template:
        async def action(info: DistrictInfo, form: Any) -> str:
            active = str(form.get("active", "")) == "1"
            await accounts.set_active(actor, info, username, active)
            return message("staff_done_enable" if active else "staff_done_disable", username=username)

        return await self._act(request, actor, district, "active", username, action)

    @post("/{username:str}/password", status_code=200)
    async def reset_password(self, request: Request_, actor: Actor, district: str, username: str) -> Template:
        async def action(info: DistrictInfo, form: Any) -> Any:
            password = await accounts.reset_password(actor, info, username)
            return {"kind": "password", "username": username, "value": password}, message(
                "staff_done_password", username=username
            )

        return await self._act(request, actor, district, "password", username, action)

    @post("/{username:str}/roles", status_code=200)
    async def grant(self, request: Request_, actor: Actor, district: str, username: str) -> Template:
        async def action(info: DistrictInfo, form: Any) -> str:
            role = str(form.get("role", ""))
            await accounts.grant(actor, info, username, role, str(form.get("estate", "")))
            return message("staff_done_grant", username=username, role=ROLE_LABELS.get(role, role))

        return await self._act(request, actor, district, "grant", username, action)

    @post("/{username:str}/roles/{grant_id:int}/revoke", status_code=200)
    async def revoke(
        self, request: Request_, actor: Actor, district: str, username: str, grant_id: int
    ) -> Template:
        async def action(info: DistrictInfo, form: Any) -> str:
            await accounts.revoke(actor, info, username, grant_id)
            return message("staff_done_revoke", username=username)

        return await self._act(request, actor, district, "revoke", username, action)

    @post("/{username:str}/tokens", status_code=200)
    async def issue_token(self, request: Request_, actor: Actor, district: str, username: str) -> Template:
        async def action(info: DistrictInfo, form: Any) -> Any:
            days = str(form.get("days", ""))
            token = await accounts.issue_token(
                actor, info, username, str(form.get("label", "")), int(days) if days.isdigit() else 0
            )
            return {"kind": "token", "username": username, "value": token}, message(
                "staff_done_token", username=username
            )

        return await self._act(request, actor, district, "token", username, action)

    @post("/{username:str}/tokens/{token_id:int}/revoke", status_code=200)
    async def revoke_token(
        self, request: Request_, actor: Actor, district: str, username: str, token_id: int
    ) -> Template:
        async def action(info: DistrictInfo, form: Any) -> str:
            await accounts.revoke_token(actor, info, username, token_id)
            return message("staff_done_token_revoke", username=username)

        return await self._act(request, actor, district, "revoke_token", username, action)
