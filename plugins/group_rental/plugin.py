"""The group_rental plugin's hook implementations (the entry-point target)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core import MenuItem, hookimpl, package_folder

PLUGIN_NAME = "group_rental"
PLUGIN_TITLE = "群租认定与整改"


@hookimpl
def register_routes() -> list[Any]:
    from core import district_router
    from plugins.group_rental.web.api import GroupRentalController
    from plugins.group_rental.web.console import GroupRentalConsole

    return [district_router(PLUGIN_NAME, [GroupRentalConsole, GroupRentalController])]


@hookimpl
def register_piccolo_apps() -> list[str]:
    return ["plugins.group_rental.piccolo_app"]


@hookimpl
def menu_items(district: Any, actor: Any) -> list[MenuItem]:
    return [
        MenuItem(label=PLUGIN_TITLE, href=f"/d/{district.slug}/group_rental/", plugin=PLUGIN_NAME, order=30)
    ]


@hookimpl
def register_commands(cli: Any) -> None:
    from plugins.group_rental.cli import group_rental

    cli.add_command(group_rental)


@hookimpl
async def populate_demo(district: Any, estate: dict[str, Any], actor: str, runtime: Any) -> list[str]:
    from plugins.group_rental.demo import populate

    return await populate(runtime, district, estate, actor)


@hookimpl
def register_messages() -> dict[str, str]:
    from plugins.group_rental.messages import ERRORS

    return ERRORS


@hookimpl
def register_template_dirs() -> dict[str, Path]:
    return {PLUGIN_NAME: package_folder(__package__, "templates")}


@hookimpl
def register_static_dirs() -> dict[str, Path]:
    return {PLUGIN_NAME: package_folder(__package__, "static")}


@hookimpl
async def board_items(district: Any, actor: Any, today: Any, runtime: Any) -> list[Any]:
    from plugins.group_rental.services.board import board_items as items

    return await items(runtime, district, actor, today, PLUGIN_TITLE)
