"""The housing_check plugin's hook implementations (the entry-point target)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import MenuItem, hookimpl, package_folder

if TYPE_CHECKING:
    from core import Runtime

PLUGIN_NAME = "housing_check"
PLUGIN_TITLE = "住房状况核查"


@hookimpl
def register_routes() -> list[Any]:
    from core import district_router
    from plugins.housing_check.web.api import HousingCheckController
    from plugins.housing_check.web.console import HousingCheckConsole

    return [district_router(PLUGIN_NAME, [HousingCheckConsole, HousingCheckController])]


@hookimpl
def register_piccolo_apps() -> list[str]:
    return ["plugins.housing_check.piccolo_app"]


@hookimpl
def menu_items(district: Any, actor: Any) -> list[MenuItem]:
    from plugins.housing_check.web.roles import ASSIGNED_ROLES

    return [
        MenuItem(
            label=PLUGIN_TITLE,
            href=f"/d/{district.slug}/housing_check/",
            plugin=PLUGIN_NAME,
            order=20,
            admits=ASSIGNED_ROLES,  # as the housing-check home page admits
        )
    ]


@hookimpl
def register_commands(cli: Any) -> None:
    from plugins.housing_check.cli import housing_check

    cli.add_command(housing_check)


@hookimpl
async def populate_demo(district: Any, estate: dict[str, Any], actor: str, runtime: Runtime) -> list[str]:
    from plugins.housing_check.demo import populate

    return await populate(district, estate, actor, runtime)


@hookimpl
def register_messages() -> dict[str, str]:
    from plugins.housing_check.messages import ERRORS

    return ERRORS


@hookimpl
def register_template_dirs() -> dict[str, Path]:
    return {PLUGIN_NAME: package_folder(__package__, "templates")}


@hookimpl
async def board_items(district: Any, actor: Any, today: Any, runtime: Any) -> list[Any]:
    from plugins.housing_check.services.board import board_items as items

    return await items(runtime, district, actor, today, PLUGIN_TITLE)
