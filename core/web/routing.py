"""Mounting a duty's routes under ``/d/{district}/<plugin>/``, behind the core's guards.

Guards run in this order: a staff member must be logged in (401), must belong to the district (403),
and the plugin must be switched on for the district (404: for that district the duty does not exist).
Plugins never check any of this themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Router
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.types import ControllerRouterHandler

from core.districts import enabled_plugins, get_district
from core.errors import Forbidden, NotFound, Unauthorized
from core.web.access import current_actor


async def requires_staff(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if await current_actor(connection) is None:
        raise Unauthorized("not_authenticated")


async def requires_district_access(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    actor = await current_actor(connection)
    if actor is None:
        raise Unauthorized("not_authenticated")
    district = await get_district(connection.path_params["district"], cached=True)
    if not actor.can_view_district(district.id):
        raise Forbidden("forbidden")


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
    opt: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Router:
    """A router for ``plugin`` mounted at ``/d/{district}/<plugin>``.

    Args:
        plugin: the plugin's name (also its URL segment, OpenAPI tag and ``opt["plugin"]``).
        route_handlers: controllers and handlers, paths relative to the mount point.
        public: skip the staff guards (pages for owners); enablement is still enforced.
        guards: further guards, run after the core's.
    """
    core_guards = [requires_plugin_enabled] if public else [requires_district_access, requires_plugin_enabled]
    return Router(
        path=f"/d/{{district:str}}/{plugin}",
        route_handlers=list(route_handlers),
        guards=[*core_guards, *guards],
        opt={"plugin": plugin, **(opt or {})},
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
