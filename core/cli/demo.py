"""``wuye demo``: a demo district (a training district, 演练) with one estate, the demo staff accounts and
every duty switched on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.runtime import Runtime

import click

from core.cli.support import run_db

DEMO_DISTRICT = "demo"
DEMO_ESTATE = "DEMO-001"
DEMO_ACCOUNTS = (
    # username, display name, password, role
    ("admin", "市级管理员（演示）", "wuye-admin-2026", "city_admin"),
    ("officer", "街道房管办干部（演示）", "wuye-officer-2026", "district_officer"),
    ("manager", "街道管理员（演示）", "wuye-manager-2026", "district_admin"),
)


async def build_demo(runtime: Runtime) -> list[str]:
    """Create what is missing; returns what was created (idempotent)."""
    from core.data.tables import Staff
    from core.district_services import add_district, add_estate, switch_plugin
    from core.districts import get_district, get_estate
    from core.errors import NotFound
    from core.identity.staff import create_staff, grant_role
    from core.plugins import await_me_maybe, duty_names, hooks_for

    actor = "cli:demo"
    created: list[str] = []
    try:
        district = await get_district(DEMO_DISTRICT)
    except NotFound:
        # a training district (演练): the demo rehearses its meetings on the district's clock
        district = await add_district(
            runtime, actor, DEMO_DISTRICT, "示范街道", "上海市示范区", "national", training=True
        )
        created.append(f"区/街道 {DEMO_DISTRICT}")
    try:
        estate = await get_estate(district, DEMO_ESTATE)
    except NotFound:
        estate = await add_estate(runtime, actor, district, DEMO_ESTATE, "示范花园", "示范路 88 弄")
        created.append(f"小区 {DEMO_ESTATE}")
    for username, name, password, role in DEMO_ACCOUNTS:
        if not await Staff.exists().where(Staff.username == username):
            await create_staff(actor, username, name, password)
            await grant_role(actor, username, role, None if role == "city_admin" else DEMO_DISTRICT)
            created.append(f"账号 {username}")
    for plugin in duty_names(runtime.pm):
        if await switch_plugin(runtime, actor, district, plugin, True):
            created.append(f"启用 {plugin}")
    hooks = await hooks_for(runtime.pm, district)
    for result in hooks.populate_demo(district=district, estate=estate, actor=actor, runtime=runtime):
        created.extend(await await_me_maybe(result) or ())
    return created


@click.command()
def demo() -> None:
    """Create the demo district (idempotent) and print how to log in."""
    from core.settings import get_settings

    created = run_db(build_demo)
    if created:
        click.echo("演示数据：")
        for item in created:
            click.echo(f"  - {item}")
    else:
        click.echo("演示数据：已存在，无需创建")
    base = get_settings().base_url
    click.echo(f"登录地址：{base}/login")
    for username, name, password, _ in DEMO_ACCOUNTS:
        click.echo(f"  {name}：用户名 {username}  密码 {password}")
