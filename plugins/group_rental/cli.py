"""``wuye group_rental ...``: assess an inspection file offline; list cases overdue for re-inspection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from core import (
    CLIError,
    Runtime,
    configured_registry,
    echo_json,
    get_district,
    handle_errors,
    message,
    run_db,
)
from plugins.group_rental.messages import CLI, DOCUMENT
from plugins.group_rental.rules import assess_data
from plugins.group_rental.services.cases import overdue_cases


def load_profile(code: str | None) -> Any:
    """The jurisdiction profile ``code`` (the configured default profile when empty), without a database."""
    return configured_registry().get(code)


def read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CLIError(CLI["unreadable"].format(error=exc)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        detail = CLI["json_line"].format(line=exc.lineno, error=exc.msg)
        raise CLIError(message("group_rental_bad_json", detail=detail)) from None


@click.group("group_rental")
def group_rental() -> None:
    """群租认定与整改 (group rental)."""


@group_rental.command("assess")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--jurisdiction", "-j", default=None, help=CLI["help_jurisdiction"])
@click.option("--json", "as_json", is_flag=True, help=CLI["help_json"])
@handle_errors
def assess_command(file: Path, jurisdiction: str | None, as_json: bool) -> None:
    """Determine whether the inspected flat in FILE (JSON) is a group rental under a profile's rules."""
    profile = load_profile(jurisdiction)
    data = read_json(file)
    result = assess_data(data, profile).to_dict()
    if as_json:
        echo_json(result)
        return
    click.echo(CLI["profile"].format(name=profile.name, code=profile.code))
    click.echo(CLI["group_rental" if result["group_rental"] else "not_group_rental"])
    for f in result["findings"]:
        click.echo(CLI["finding"].format(**{**f, "room": f["room"] or DOCUMENT["whole_flat"]}))
    for e in result["exceptions"]:
        click.echo(CLI["exception"].format(**e))


@group_rental.command("overdue")
@click.option("--district", "-d", required=True, help=CLI["help_district"])
@click.option("--json", "as_json", is_flag=True)
def overdue_command(district: str, as_json: bool) -> None:
    """Cases whose rectification deadline has passed without a re-inspection."""

    async def go(runtime: Runtime) -> list[dict[str, Any]]:
        return await overdue_cases(runtime, await get_district(district))

    rows = run_db(go)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(CLI["no_overdue"])
    for row in rows:
        click.echo(CLI["overdue"].format(**row))
