"""``wuye group_rental ...``: assess an inspection file offline; list cases overdue for re-inspection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from core.cli import CLIError, echo_json, run_db


def load_profile(code: str | None) -> Any:
    """The jurisdiction profile ``code`` (the default profile when empty), without a database."""
    from core.errors import WuyeError
    from core.jurisdiction import JurisdictionRegistry
    from core.plugins import create_plugin_manager_from_settings
    from core.settings import get_settings

    registry = JurisdictionRegistry.from_plugins(create_plugin_manager_from_settings(get_settings()))
    try:
        return registry.get(code)
    except WuyeError as exc:
        raise CLIError(exc.message) from None


def read_json(path: Path) -> Any:
    from core.messages import message

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CLIError(f"无法读取文件：{exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CLIError(message("group_rental_bad_json", detail=f"第 {exc.lineno} 行：{exc.msg}")) from None


@click.group("group_rental")
def group_rental() -> None:
    """群租认定与整改 (group rental)."""


@group_rental.command("assess")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--jurisdiction", "-j", default=None, help="地区规则编号（默认：全国规则）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def assess_command(file: Path, jurisdiction: str | None, as_json: bool) -> None:
    """Determine whether the inspected flat in FILE (JSON) is a group rental under a profile's rules."""
    from core.errors import WuyeError
    from plugins.group_rental.rules import assess_data

    profile = load_profile(jurisdiction)
    data = read_json(file)
    try:
        result = assess_data(data, profile).to_dict()
    except WuyeError as exc:
        raise CLIError(exc.message) from None
    if as_json:
        echo_json(result)
        return
    click.echo(f"地区规则：{profile.name}（{profile.code}）")
    click.echo("结论：属于“群租”" if result["group_rental"] else "结论：不属于“群租”")
    for f in result["findings"]:
        room = f["room"] or "整套住房"
        click.echo(f"  第{f['criterion']}项 {room}：{f['detail']}（{f['article']}）")
    for e in result["exceptions"]:
        click.echo(f"  例外 {e['room']}：{e['detail']}（{e['article']}）")


@group_rental.command("overdue")
@click.option("--district", "-d", required=True, help="区/街道编号")
@click.option("--json", "as_json", is_flag=True)
def overdue_command(district: str, as_json: bool) -> None:
    """Cases whose rectification deadline has passed without a re-inspection."""
    from core.districts import get_district
    from plugins.group_rental.services import overdue_cases

    async def go() -> list[dict[str, Any]]:
        return await overdue_cases(await get_district(district))

    rows = run_db(go)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("没有逾期未复查的案件。")
    for row in rows:
        click.echo(
            f"{row['case']}  {row['address']}  期限 {row['deadline']}  已逾期 {row['days_overdue']} 天"
        )
