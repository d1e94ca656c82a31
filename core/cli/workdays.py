"""``wuye workdays``: deadlines in working days, and loading a year's State Council notice."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from core.calendar.workdays import WorkCalendar
from core.cli.support import CLIError, echo_json, run_db


@click.group()
def workdays() -> None:
    """Working days (工作日) per the State Council's yearly holiday notice."""


if TYPE_CHECKING:
    from core.runtime import Runtime


async def _calendar_for(runtime: Runtime, jurisdiction: str | None) -> WorkCalendar:
    from core.calendar.store import work_calendar

    profile = runtime.jurisdictions.get(jurisdiction)
    try:
        return await work_calendar(profile.calendar)
    except Exception as exc:  # database not migrated yet: built-in data only, and say so
        if "core_calendar_year" not in str(exc):
            raise
        click.echo("提示：数据库尚未初始化（请先运行 wuye migrate），仅使用内置节假日数据。", err=True)
        return WorkCalendar(profile.calendar)


@workdays.command("add")
@click.argument("start")
@click.argument("days")
@click.option("--jurisdiction", "-j", default=None, help="地区规则编号（决定所用日历）")
@click.option("--json", "as_json", is_flag=True)
def workdays_add(start: str, days: str, jurisdiction: str | None, as_json: bool) -> None:
    """Print the DAYS-th working day after START (the start day itself is not counted)."""
    from core.calendar.workdays import parse_date, weekday_name
    from core.errors import BadRequest

    start_date = parse_date_or_fail(start, parse_date)
    try:
        count = int(days)
    except ValueError:
        raise CLIError(BadRequest("bad_days", value=days).message) from None

    async def go(runtime: Runtime):  # type: ignore[no-untyped-def]
        calendar = await _calendar_for(runtime, jurisdiction)
        return calendar.add_workdays(start_date, count)

    due = run_db(go)
    if as_json:
        echo_json(due.to_dict())
        return
    click.echo(f"{due.due.isoformat()}（{weekday_name(due.due)}）")
    if due.provisional:
        years = "、".join(str(y) for y in due.provisional_years)
        click.echo(
            f"注意：{years} 年的国务院节假日安排尚未载入，此日期为暂定（仅按周末和法定节日推算）。", err=True
        )


def parse_date_or_fail(value: str, parse):  # type: ignore[no-untyped-def]
    from core.errors import WuyeError

    try:
        return parse(value)
    except WuyeError as exc:
        raise CLIError(exc.message) from None


@workdays.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def workdays_load(file: Path) -> None:
    """Load a year's schedule from a notice file (TOML; see docs/workdays.md)."""
    from core.calendar.store import load_notice_text
    from core.cli.support import cli_actor

    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CLIError(f"无法读取文件：{exc}") from None
    except UnicodeDecodeError:
        raise CLIError("文件不是 UTF-8 编码") from None
    schedule = run_db(lambda _runtime: load_notice_text(text, cli_actor()))
    click.echo(
        f"已载入 {schedule.year} 年节假日安排：放假 {len(schedule.holidays)} 天，"
        f"调休上班 {len(schedule.workdays)} 天。此后 {schedule.year} 年的工作日计算为正式结果。"
    )


@workdays.command("show")
@click.argument("year", type=int)
@click.option("--jurisdiction", "-j", default=None)
@click.option("--json", "as_json", is_flag=True)
def workdays_show(year: int, jurisdiction: str | None, as_json: bool) -> None:
    """Show a year's days off and make-up working days, and whether they are official."""

    async def go(runtime: Runtime):  # type: ignore[no-untyped-def]
        calendar = await _calendar_for(runtime, jurisdiction)
        return calendar.schedule(year)

    schedule = run_db(go)
    data = {
        "year": schedule.year,
        "official": schedule.official,
        "source": schedule.source,
        "holidays": sorted(d.isoformat() for d in schedule.holidays),
        "workdays": sorted(d.isoformat() for d in schedule.workdays),
    }
    if as_json:
        echo_json(data)
        return
    click.echo(f"{year} 年：{'正式' if schedule.official else '暂定'}（{schedule.source}）")
    click.echo("放假：" + "、".join(data["holidays"]))
    click.echo("调休上班：" + ("、".join(data["workdays"]) or "无"))
    if not schedule.official:
        click.echo("注意：尚未载入该年国务院节假日安排，以上为按法定节日推算的暂定安排。", err=True)
    sys.stdout.flush()
