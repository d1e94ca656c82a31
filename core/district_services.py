"""Core use cases shared by the web console, the API and the CLI. Each staff write is audited in
the same transaction as the write itself; events are emitted after the commit."""

from __future__ import annotations

from typing import Any

from core.data.db import transaction
from core.data.tables import District
from core.districts import (
    DistrictInfo,
    create_district,
    create_estate,
    enabled_plugins,
    set_enabled,
    set_jurisdiction,
)
from core.errors import BadRequest, Forbidden, NotFound
from core.events import Event, emit
from core.identity import audit
from core.identity.auth import Actor
from core.menu import MenuItem
from core.plugins import ESSENTIAL_PLUGINS, await_me_maybe, duty_names, hooks_for
from core.runtime import Runtime


def require_manager(actor: Actor, district: DistrictInfo) -> None:
    if not actor.can_manage_district(district.id):
        raise Forbidden("forbidden")


def require_viewer(actor: Actor, district: DistrictInfo) -> None:
    if not actor.can_view_district(district.id):
        raise Forbidden("forbidden")


async def switch_plugin(
    runtime: Runtime, actor_label: str, district: DistrictInfo, plugin: str, enabled: bool
) -> bool:
    """Turn a duty on or off for a district (audited, then ``core.plugin_enabled``/``_disabled``)."""
    if plugin in ESSENTIAL_PLUGINS:
        raise BadRequest("plugin_essential", plugin=plugin)
    if plugin not in duty_names(runtime.pm):
        raise NotFound("plugin_not_found", plugin=plugin)
    async with transaction(runtime.engine):
        changed = await set_enabled(district, plugin, enabled)
        if changed:
            await audit.record(
                actor_label,
                "plugin.enable" if enabled else "plugin.disable",
                district=district.slug,
                target=plugin,
            )
    if changed:
        name = "core.plugin_enabled" if enabled else "core.plugin_disabled"
        await emit(runtime.pm, district, Event(name, actor_label, {"plugin": plugin}))
    return changed


async def plugin_states(runtime: Runtime, district: DistrictInfo) -> list[dict[str, Any]]:
    enabled = await enabled_plugins(district)
    from core.plugins import get_plugins

    return [
        {"name": p.name, "title": p.title, "version": p.version, "enabled": p.name in enabled}
        for p in get_plugins(runtime.pm)
        if p.duty
    ]


async def add_district(
    runtime: Runtime,
    actor_label: str,
    slug: str,
    name: str,
    region: str = "",
    jurisdiction: str = "",
    *,
    training: bool = False,
) -> DistrictInfo:
    """Register a district; ``training`` makes it a training district (演练), which only its creation
    can: a production district never becomes one, so no real meeting's clock can be moved."""
    if jurisdiction:
        runtime.jurisdictions.get(jurisdiction)  # NotFound for an unknown code
    async with transaction(runtime.engine):
        district = await create_district(slug, name, region, jurisdiction, training=training)
        await audit.record(
            actor_label, "district.create", district=slug, target=slug, details=district.to_dict()
        )
    return district


async def choose_jurisdiction(
    runtime: Runtime, actor_label: str, district: DistrictInfo, code: str
) -> DistrictInfo:
    profile = runtime.jurisdictions.get(code)
    async with transaction(runtime.engine):
        updated = await set_jurisdiction(district, profile.code)
        await audit.record(
            actor_label,
            "district.jurisdiction",
            district=district.slug,
            target=profile.code,
            details={"from": district.jurisdiction_code, "to": profile.code},
        )
    return updated


async def add_estate(
    runtime: Runtime, actor_label: str, district: DistrictInfo, code: str, name: str, address: str = ""
) -> dict[str, Any]:
    async with transaction(runtime.engine):
        estate = await create_estate(district, code, name, address)
        await audit.record(
            actor_label, "estate.create", district=district.slug, target=code, details={"name": name}
        )
    return estate


async def menu_for(runtime: Runtime, district: DistrictInfo, actor: Actor) -> list[MenuItem]:
    hooks = await hooks_for(runtime.pm, district)
    items: list[MenuItem] = []
    for result in hooks.menu_items(district=district, actor=actor):
        items.extend(await await_me_maybe(result) or ())
    if not actor.can_manage_district(district.id):  # an estate role sees the entries admitting it
        held = actor.roles_in(district.id)
        items = [m for m in items if m.admits & held]
    return sorted(items, key=lambda m: (m.order, m.label))


async def district_by_id(district_id: int) -> DistrictInfo:
    row = await District.select().where(District.id == district_id).first()
    if row is None:
        raise NotFound("district_not_found")
    return DistrictInfo.from_row(row)
