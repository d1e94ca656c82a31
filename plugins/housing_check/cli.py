"""``wuye housing_check ...``: the daily deadline list for a cron job."""

from __future__ import annotations

import click

from core import CLIError, Runtime, echo_json, parse_date, run_db, today_in
from plugins.housing_check.services import entrustments


@click.group("housing_check")
def housing_check() -> None:
    """住房状况核查 (housing-status checks)."""


@housing_check.command("due-soon")
@click.option("--days", default=3, show_default=True, help="列出剩余工作日不超过此数的委托（逾期的总会列出）")
@click.option("--district", default=None, help="只看一个区/街道")
@click.option("--today", default=None, help="按哪一天计算（YYYY-MM-DD，默认今天）")
@click.option("--json", "as_json", is_flag=True)
def due_soon(days: int, district: str | None, today: str | None, as_json: bool) -> None:
    """Open entrustments due within DAYS working days, and overdue ones (no personal data)."""
    if days < 0:
        raise CLIError("--days 不能为负数")

    async def go(runtime: Runtime):  # type: ignore[no-untyped-def]
        registry = runtime.jurisdictions
        day = parse_date(today) if today else today_in(registry.get(None))
        return day, await entrustments.due_soon(days, day, registry.get, district)

    day, items = run_db(go)
    if as_json:
        echo_json({"today": day.isoformat(), "days": days, "entrustments": items})
        return
    if not items:
        click.echo(f"{day.isoformat()}：没有 {days} 个工作日内到期或已逾期的核查委托。")
        return
    for item in items:
        mark = "【逾期】" if item["overdue"] else ""
        note = f"（{item['due_note']}）" if item["provisional"] else ""
        click.echo(
            f"{mark}{item['district']} {item['entrustment']} {item['entrusting_office']} "
            f"{item['letter_no']}：到期 {item['due_on']}{note}，{item['state']}，{item['households']} 户"
        )
