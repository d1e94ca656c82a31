"""Mounting a duty's routes under ``/d/{district}/<plugin>/``, behind the core's guards.

Guards run in this order: a staff member must be logged in (401), must hold a role in the district that
the route admits (403), and the plugin must be switched on for the district (404: for that district the
duty does not exist). Plugins never check any of this themselves.

Who a route admits: a district's officers and the city administrators, always; the roles held for one
estate (committee member, counter) only where the handler says so with ``opt=admits(...)``, and then
only for objects of their own estate — the estate of each object a path names is found by the
``estate_of`` resolvers the plugin hands to :func:`district_router` (``{estate}`` itself the core
resolves). A route that lists objects narrows the list with the :class:`Reach` dependency.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Router
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.types import ControllerRouterHandler

from core.districts import DistrictInfo, enabled_plugins, get_district, get_estate
from core.errors import Forbidden, NotFound, Unauthorized
from core.identity.auth import ESTATE_ROLES, TASK_ROLES, Actor
from core.web.access import current_actor

#: Handler ``opt`` key: the estate roles a route admits besides officers (see :func:`admits`).
ADMITS = "admits"
#: Handler ``opt`` key: path parameter -> coroutine giving the estate id of the object it names.
ESTATE_OF = "estate_of"

#: ``estate_of`` resolver: ``(district, path value) -> estate id``; raises NotFound for no such object.
EstateOf = Callable[[DistrictInfo, str], Awaitable[int]]


def admits(*roles: str) -> dict[str, Any]:
    """Handler ``opt`` admitting holders of estate roles (``committee_member``, ``counter``,
    ``scrutineer``) to a route, for their own estate's objects only; or of a task role (``checker``),
    for the objects the duty assigns them (the duty checks the assignment). Without it a route is for
    the district's officers alone.

    Example::

        @get("/meetings/{meeting:str}/tally", opt=admits("committee_member", "counter"))
    """
    allowed = (*ESTATE_ROLES, *TASK_ROLES)
    unknown = set(roles) - set(allowed)
    if unknown or not roles:
        raise ValueError(f"admits() takes the roles {allowed}, not {sorted(unknown) or 'nothing'}")
    return {ADMITS: frozenset(roles)}


@dataclass(frozen=True)
class Reach:
    """How much of the district the request's actor may see on this route: all of it (an officer),
    or the estates of the roles the route admits (a committee member, a counter)."""

    whole_district: bool
    estate_ids: frozenset[int] = frozenset()
    #: Task roles (``checker``) the actor holds and the route admits: the duty narrows to assignments.
    task_roles: frozenset[str] = frozenset()

    def covers(self, estate_id: int | None) -> bool:
        return self.whole_district or (estate_id is not None and estate_id in self.estate_ids)

    def narrow(self, rows: Sequence[Any], key: str = "estate") -> list[Any]:
        """The rows (mappings) whose ``key`` names an estate within reach."""
        return [r for r in rows if self.covers(r[key])]


async def requires_staff(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if await current_actor(connection) is None:
        raise Unauthorized("not_authenticated")


def reach_of(actor: Actor, district: DistrictInfo, handler: BaseRouteHandler) -> Reach:
    return _reach(actor, district, handler.opt)


def _reach(actor: Actor, district: DistrictInfo, opt: Mapping[str, Any]) -> Reach:
    if actor.can_manage_district(district.id):
        return Reach(whole_district=True)
    admitted = opt.get(ADMITS, frozenset())
    tasks = frozenset(admitted & actor.roles_in(district.id) & set(TASK_ROLES))
    return Reach(False, frozenset(actor.estate_ids(district.id, admitted)), tasks)


def reaches(actor: Actor, district: DistrictInfo, opt: Mapping[str, Any], estate_id: int) -> bool:
    """Whether ``actor`` may use a route with this ``opt`` (officers only, or what ``admits()`` adds)
    on an object of ``estate_id``: the guard's own decision, for a page choosing which buttons to
    show. Give the same ``opt`` the route has, so the two cannot drift apart::

        DOCUMENTS = admits("committee_member")
        @get("/meetings/{meeting:str}/notice.docx", opt=DOCUMENTS)
        ...
        can_read_documents = reaches(actor, district, DOCUMENTS, meeting["estate"])
    """
    return _reach(actor, district, opt).covers(estate_id)


async def requires_district_access(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The actor holds a role in the district that this route admits, and every object the path
    names lies within the actor's estates (officers: anywhere in the district)."""
    actor = await current_actor(connection)
    if actor is None:
        raise Unauthorized("not_authenticated")
    district = await get_district(connection.path_params["district"], cached=True)
    if not actor.can_view_district(district.id):
        raise Forbidden("forbidden")
    reach = reach_of(actor, district, handler)
    if reach.whole_district or reach.task_roles:  # a task role: the duty checks the assignment
        return
    if not reach.estate_ids:
        raise Forbidden("forbidden")
    for estate_id in await estates_named(connection, district, handler):
        if not reach.covers(estate_id):
            raise Forbidden("forbidden")


async def estates_named(
    connection: ASGIConnection, district: DistrictInfo, handler: BaseRouteHandler
) -> list[int]:
    """The estate of each object the request's path names (``{estate}`` and the ``estate_of`` ones)."""
    params = connection.path_params
    found: list[int] = []
    if "estate" in params:
        found.append(int((await get_estate(district, params["estate"]))["id"]))
    resolvers: Mapping[str, EstateOf] = handler.opt.get(ESTATE_OF) or {}
    for name, resolve in resolvers.items():
        if name in params:
            found.append(await resolve(district, params[name]))
    return found


async def provide_reach(request: Any) -> Reach:
    """Dependency ``reach``: what of the district the actor may see on this route."""
    actor = await current_actor(request)
    if actor is None:
        raise Unauthorized("not_authenticated")
    district = await get_district(request.path_params["district"], cached=True)
    return reach_of(actor, district, request.route_handler)


async def requires_plugin_enabled(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    plugin = handler.opt.get("plugin")
    if not plugin:
        return
    district = await get_district(connection.path_params["district"], cached=True)
    if plugin not in await enabled_plugins(district):
        raise NotFound("not_found")


def district_router(
    plugin: str,
    route_handlers: Sequence[ControllerRouterHandler],
    *,
    public: bool = False,
    guards: Sequence[Any] = (),
    estate_of: Mapping[str, EstateOf] | None = None,
    opt: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Router:
    """A router for ``plugin`` mounted at ``/d/{district}/<plugin>``.

    Args:
        plugin: the plugin's name (also its URL segment, OpenAPI tag and ``opt["plugin"]``).
        route_handlers: controllers and handlers, paths relative to the mount point.
        public: skip the staff guards (pages for owners); enablement is still enforced.
        guards: further guards, run after the core's.
        estate_of: for each path parameter that names an estate's object (``{"meeting": ...}``), a
            coroutine ``(district, value) -> estate id``, so that the routes that ``admits()`` estate
            roles serve a committee member or counter only their own estate's objects.
    """
    core_guards = [requires_plugin_enabled] if public else [requires_district_access, requires_plugin_enabled]
    return Router(
        path=f"/d/{{district:str}}/{plugin}",
        route_handlers=list(route_handlers),
        guards=[*core_guards, *guards],
        opt={"plugin": plugin, ESTATE_OF: dict(estate_of or {}), **(opt or {})},
        tags=[plugin],
        **kwargs,
    )


#: A coroutine that finds the district slug of a public object (a meeting) from the request's path
#: parameters; it raises NotFound when the object does not exist.
DistrictResolver = Any


async def requires_plugin_enabled_for_object(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    plugin = handler.opt["plugin"]
    resolver = handler.opt["district_of"]
    district = await get_district(await resolver(connection.path_params), cached=True)
    if plugin not in await enabled_plugins(district):
        raise NotFound("not_found")


def public_router(
    plugin: str,
    path: str,
    route_handlers: Sequence[ControllerRouterHandler],
    *,
    district_of: DistrictResolver,
    **kwargs: Any,
) -> Router:
    """Public pages outside ``/d/{district}/`` (an owner's ballot page ``/v/{meeting}``): no staff
    guards, but the plugin must be switched on in the district that ``district_of(path_params)`` names."""
    return Router(
        path=path,
        route_handlers=list(route_handlers),
        guards=[requires_plugin_enabled_for_object],
        opt={"plugin": plugin, "district_of": district_of, "public": True, "csrf_exempt": True},
        tags=[plugin],
        **kwargs,
    )
