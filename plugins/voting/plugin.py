"""The voting plugin's hook implementations (the entry-point target)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core import MenuItem, hookimpl, package_folder

PLUGIN_NAME = "voting"
PLUGIN_TITLE = "业主大会表决"


@hookimpl
def register_routes() -> list[Any]:
    from core import district_router, public_router
    from plugins.voting.services.meetings import estate_of_meeting
    from plugins.voting.web.api import VotingController
    from plugins.voting.web.ballot import BallotController, district_of_meeting
    from plugins.voting.web.console import VotingConsoleController
    from plugins.voting.web.forms import VotingConsoleForms
    from plugins.voting.web.verify import VerifyController

    return [
        district_router(
            PLUGIN_NAME,
            [VotingConsoleController, VotingConsoleForms, VotingController],
            estate_of={"meeting": estate_of_meeting},
        ),
        public_router(PLUGIN_NAME, "/v/{meeting:str}", [BallotController], district_of=district_of_meeting),
        public_router(
            PLUGIN_NAME, "/verify/{meeting:str}", [VerifyController], district_of=district_of_meeting
        ),
    ]


@hookimpl
def register_piccolo_apps() -> list[str]:
    return ["plugins.voting.piccolo_app"]


@hookimpl
def menu_items(district: Any, actor: Any) -> list[MenuItem]:
    from plugins.voting.web.roles import READ_ROLES

    return [
        MenuItem(
            label=PLUGIN_TITLE,
            href=f"/d/{district.slug}/voting/",
            plugin=PLUGIN_NAME,
            order=10,
            admits=READ_ROLES,  # as the voting home page admits
        )
    ]


@hookimpl
def register_commands(cli: Any) -> None:
    from plugins.voting.cli import verify, voting

    cli.add_command(voting)
    cli.add_command(verify)


@hookimpl
async def populate_demo(district: Any, estate: dict[str, Any], actor: str, runtime: Any) -> list[str]:
    from plugins.voting.demo import populate

    return await populate(district, estate, actor, runtime)


@hookimpl
def register_messages() -> dict[str, str]:
    from plugins.voting.messages import ERRORS

    return ERRORS


@hookimpl
def register_template_dirs() -> dict[str, Path]:
    return {PLUGIN_NAME: package_folder(__package__, "templates")}


@hookimpl
def register_static_dirs() -> dict[str, Path]:
    return {PLUGIN_NAME: package_folder(__package__, "static")}


@hookimpl
async def board_items(district: Any, actor: Any, today: Any, runtime: Any) -> list[Any]:
    from plugins.voting.services.board import board_items as items

    return await items(runtime, district, actor, today, PLUGIN_TITLE)


@hookimpl
async def board_panels(district: Any, actor: Any, runtime: Any) -> list[Any]:
    from plugins.voting.services.board import board_panels as panels

    return await panels(runtime, district, actor)


@hookimpl
def startup(app: Any) -> None:
    """The task that signs the board's head of every open meeting at least daily (docs/protocol.md
    §12), started with the app and stopped with it."""
    from plugins.voting.services.heads import HeadTask

    runtime = app.state.runtime
    if not runtime.settings.plugin_settings.get(PLUGIN_NAME, {}).get("head_task", True):
        return
    task = HeadTask(runtime)
    task.start()
    app.on_shutdown.append(task.stop)
