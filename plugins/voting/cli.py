"""``wuye voting ...``: register import, meetings, ballot printing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from core.cli import CLIError, echo_json, run_db
from core.cli_commands import cli_actor


async def resolve_estate(estate: str, district: str | None) -> tuple[Any, str]:
    """(district, estate code) for ``--estate`` (and ``--district`` when the code is ambiguous)."""
    from core.districts import get_district
    from core.errors import BadRequest, NotFound
    from core.services import district_by_id
    from core.tables import Estate

    if district:
        return await get_district(district), estate
    rows = await Estate.select(Estate.district).where(Estate.code == estate)
    if not rows:
        raise NotFound("estate_not_found")
    if len(rows) > 1:
        raise BadRequest("validation_failed", detail=f"多个区/街道都有小区 {estate}，请用 --district 指明")
    return await district_by_id(rows[0]["district"]), estate


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CLIError(f"无法读取文件：{exc}") from None


def invalid_to_cli(exc: Any, line: Any) -> CLIError:
    """An :class:`~core.errors.Invalid` with per-item details → one CLI error listing them all."""
    return CLIError("\n".join([exc.message, *(f"  {line(p)}" for p in exc.details)]))


@click.group()
def voting() -> None:
    """业主大会表决 (owners' assembly voting)."""


@voting.group("register")
def register() -> None:
    """The electoral register (业主名册) of an estate."""


@register.command("import")
@click.option("--estate", "-e", required=True, help="小区编号")
@click.option("--district", "-d", default=None, help="区/街道编号（小区编号不唯一时必填）")
@click.option("--json", "as_json", is_flag=True)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def register_import(estate: str, district: str | None, as_json: bool, file: Path) -> None:
    """Import a register from CSV (UTF-8) or XLSX: every row valid, or nothing imported."""
    from core.errors import Invalid
    from plugins.voting.register import RegisterFileError
    from plugins.voting.services import import_register

    content = read_file(file)

    async def go() -> dict[str, Any]:
        where, code = await resolve_estate(estate, district)
        try:
            return await import_register(where, code, content, file.name, cli_actor())
        except RegisterFileError as exc:
            raise CLIError(exc.message) from None
        except Invalid as exc:
            raise invalid_to_cli(exc, lambda p: f"第 {p['row']} 行 {p['column']}：{p['message']}") from None

    result = run_db(go)
    if as_json:
        echo_json(result)
    else:
        click.echo(f"已导入 {result['units']} 户，专有部分面积合计 {result['area_m2']} 平方米。")


@voting.group("meeting")
def meeting() -> None:
    """Owners' assembly meetings (业主大会会议)."""


@meeting.command("create")
@click.option("--estate", "-e", required=True, help="小区编号")
@click.option("--district", "-d", default=None)
@click.option("--json", "as_json", is_flag=True)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def meeting_create(estate: str, district: str | None, as_json: bool, file: Path) -> None:
    """Create a meeting (draft) from a meeting file (JSON; see docs/plugins/voting.md)."""
    from core.errors import Invalid
    from plugins.voting.meetings import create_meeting, parse_meeting_file

    content = read_file(file)

    async def go() -> dict[str, Any]:
        where, code = await resolve_estate(estate, district)
        try:
            return await create_meeting(where, code, parse_meeting_file(content), cli_actor())
        except Invalid as exc:
            raise invalid_to_cli(exc, lambda p: f"{p['field']}：{p['message']}") from None

    result = run_db(go)
    if as_json:
        echo_json(result)
    else:
        click.echo(f"已创建表决会议（草稿）：{result['meeting']}  {result['title']}")


@meeting.command("publish")
@click.argument("meeting_id")
@click.option("--json", "as_json", is_flag=True)
def meeting_publish(meeting_id: str, as_json: bool) -> None:
    """Publish a meeting: freeze the register (with its digest) and the rules."""
    from core.services import district_by_id
    from plugins.voting.meetings import get_meeting, publish_meeting

    async def go() -> dict[str, Any]:
        row = await get_meeting(meeting_id)
        return await publish_meeting(await district_by_id(row["district"]), meeting_id, cli_actor())

    result = run_db(go)
    if as_json:
        echo_json(result)
    else:
        click.echo(
            f"已发布：{result['title']}；表决人 {result['voters']} 名；名册摘要 {result['register_digest']}"
        )


@meeting.command("show")
@click.argument("meeting_id")
def meeting_show(meeting_id: str) -> None:
    """Print a meeting as JSON."""
    from plugins.voting.meetings import meeting_summary

    echo_json(run_db(lambda: meeting_summary(meeting_id)))
