"""Core commands of the ``wuye`` CLI: run, migrate, demo, plugins, districts, estates, staff, audit,
jurisdictions. Plugins add theirs through the ``register_commands`` hook."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from core.runtime import Runtime

from core.cli.support import CLIError, cli_actor, echo_json, run_async, run_db

# --- run / migrate ------------------------------------------------------------------------------------


@click.command()
@click.option("--host", default=None, help="监听地址（默认取配置）")
@click.option("--port", type=int, default=None, help="端口（默认 8000）")
@click.option("--workers", type=int, default=1, show_default=True)
@click.option("--reload", is_flag=True, help="开发时自动重载")
def run(host: str | None, port: int | None, workers: int, reload: bool) -> None:
    """Start the web server."""
    import uvicorn

    from core.settings import get_settings

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    _check_configuration(settings)
    click.echo(f"wuye 正在运行：http://{host}:{port}/login  （数据库：{_db_label(settings.database_url)}）")
    uvicorn.run(
        "core.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers if not reload else 1,
        reload=reload,
        log_level="info",
        access_log=False,
    )


def _check_configuration(settings: Any) -> None:
    """What the server would fail on at its first start-up, said before it starts (exit code 2)."""
    from core.errors import WuyeError
    from core.jurisdiction import configured_registry
    from core.plugins import PluginError

    try:
        configured_registry(settings)
    except PluginError as exc:
        raise CLIError(f"插件加载失败：{exc}") from None
    except WuyeError as exc:
        raise CLIError(exc.message) from None


def _db_label(url: str) -> str:
    if url.startswith("sqlite"):
        return url
    from urllib.parse import urlparse

    parts = urlparse(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 5432}{parts.path}"


@click.command()
@click.option("--quiet", "-q", is_flag=True)
def migrate(quiet: bool) -> None:
    """Apply every pending migration of core and of each installed plugin."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from core.data.db import make_engine
    from core.settings import get_settings

    make_engine(get_settings().database_url)  # creates the SQLite folder and sets WAL

    async def go() -> Any:
        return await run_forwards("all")

    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer if quiet else sys.stdout):
            result = run_async(go)
    except Exception as exc:  # piccolo raises plain exceptions (connection refused, SQL errors)
        raise CLIError(f"迁移失败：{exc}") from None
    if not result.success:
        raise CLIError(f"迁移失败：{result.message}")
    if not quiet:
        click.echo("数据库已是最新结构。")


# --- plugins ----------------------------------------------------------------------------------------


@click.group()
def plugins() -> None:
    """Installed plugins and their per-district switches."""


@plugins.command("list")
@click.option("--district", "-d", default=None, help="区/街道编号：同时显示在该辖区是否启用")
@click.option("--json", "as_json", is_flag=True)
def plugins_list(district: str | None, as_json: bool) -> None:
    """List installed plugins (and their state in a district)."""
    from core.districts import enabled_plugins, get_district
    from core.plugins import get_plugins

    async def go(runtime: Runtime) -> list[dict[str, Any]]:
        enabled = await enabled_plugins(await get_district(district)) if district else None
        rows = []
        for p in get_plugins(runtime.pm):
            row: dict[str, Any] = {
                "name": p.name,
                "title": p.title,
                "version": p.version,
                "essential": p.essential,
                "duty": p.duty,
                "module": p.module,
                "hooks": list(p.hooks),
            }
            if enabled is not None:
                row["enabled"] = p.essential or p.name in enabled
            rows.append(row)
        return rows

    rows = run_db(go)
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        kind = "基础" if row["essential"] else ("职责" if row["duty"] else "扩展")
        state = ""
        if "enabled" in row:
            state = "  已启用" if row["enabled"] else "  未启用"
        click.echo(f"{row['name']:<16} {kind}  {row['version'] or '-':<8}{state}")


def _switch(name: str, district: str, enabled: bool) -> None:
    from core.district_services import switch_plugin
    from core.districts import get_district

    async def go(runtime: Runtime) -> bool:
        return await switch_plugin(runtime, cli_actor(), await get_district(district), name, enabled)

    changed = run_db(go)
    word = "启用" if enabled else "停用"
    click.echo(f"已在 {district} {word} {name}。" if changed else f"{name} 在 {district} 已是{word}状态。")


@plugins.command("new")
@click.argument("name")
@click.option("--title", default="", help="中文名称（菜单和文书上显示）")
@click.option("--dir", "parent", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="在此目录下创建 wuye-NAME/")  # fmt: skip
def plugins_new(name: str, title: str, parent: Path) -> None:
    """Scaffold a new plugin (package wuye_NAME) on the one skeleton, with passing tests."""
    from core.cli.new_plugin import ScaffoldError, scaffold
    from core.plugins import create_plugin_manager_from_settings, get_plugins
    from core.settings import get_settings

    installed = {p.name for p in get_plugins(create_plugin_manager_from_settings(get_settings()))}
    try:
        target = scaffold(name, title, parent, installed)
    except ScaffoldError as exc:
        raise CLIError(str(exc)) from None
    click.echo(f"已创建插件 {name}：{target}")
    click.echo(f"下一步：pip install -e {target} && wuye migrate && wuye plugins enable {name} --district …")


@plugins.command("enable")
@click.argument("name")
@click.option("--district", "-d", required=True)
def plugins_enable(name: str, district: str) -> None:
    """Switch a duty on for a district."""
    _switch(name, district, True)


@plugins.command("disable")
@click.argument("name")
@click.option("--district", "-d", required=True)
def plugins_disable(name: str, district: str) -> None:
    """Switch a duty off for a district."""
    _switch(name, district, False)


# --- districts and estates ----------------------------------------------------------------------------


@click.group()
def district() -> None:
    """Districts (区/街道)."""


@district.command("add")
@click.argument("slug")
@click.argument("name")
@click.option("--region", default="")
@click.option("--jurisdiction", "-j", default="")
@click.option("--training", is_flag=True, help="培训区（演练）：可设定时钟，所有页面和文书标注“演练”")
def district_add(slug: str, name: str, region: str, jurisdiction: str, training: bool) -> None:
    """Register a district (a training district only at its creation)."""
    from core.district_services import add_district

    run_db(
        lambda runtime: add_district(
            runtime, cli_actor(), slug, name, region, jurisdiction, training=training
        )
    )
    click.echo(f"已登记{'培训区' if training else ''}：{slug} {name}")


@district.command("clock")
@click.argument("slug")
@click.option("--at", "at", default=None, help="把培训区的时钟设为此刻（当地时间，如 2026-12-20 09:00）")
@click.option("--reset", is_flag=True, help="时钟恢复为真实时间")
@click.option("--json", "as_json", is_flag=True)
def district_clock(slug: str, at: str | None, reset: bool, as_json: bool) -> None:
    """Show a district's clock, or set a training district's (--at) or put it back (--reset)."""
    from core.clock import clock_state, parse_moment, set_district_clock
    from core.districts import get_district

    if at is not None and reset:
        raise CLIError("--at 与 --reset 只能选一个")

    async def go(runtime: Runtime) -> dict[str, Any]:
        info = await get_district(slug)
        profile = runtime.jurisdictions.get(info.jurisdiction_code)
        if at is None and not reset:
            return clock_state(info, profile)
        moment = parse_moment(at, profile) if at is not None else None
        return await set_district_clock(runtime, cli_actor(), info, moment)

    state = run_db(go)
    if as_json:
        echo_json(state)
    elif not state["training"]:
        click.echo(f"{slug} 是正式区/街道，时钟为真实时间：{state['now_text']}")
    else:
        click.echo(
            f"{slug}（培训区）时钟：{state['now_text']}{'（已设定）' if state['set'] else '（真实时间）'}"
        )


@district.command("list")
@click.option("--json", "as_json", is_flag=True)
def district_list(as_json: bool) -> None:
    """List districts."""
    from core.districts import list_districts

    rows = [d.to_dict() for d in run_db(lambda _runtime: list_districts())]
    if as_json:
        echo_json(rows)
    else:
        for row in rows:
            click.echo(f"{row['slug']:<20} {row['name']}  {row['jurisdiction'] or '(默认规则)'}")


@district.command("set-jurisdiction")
@click.argument("slug")
@click.argument("code")
def district_set_jurisdiction(slug: str, code: str) -> None:
    """Choose the jurisdiction profile of a district."""
    from core.district_services import choose_jurisdiction
    from core.districts import get_district

    async def go(runtime: Runtime) -> Any:
        return await choose_jurisdiction(runtime, cli_actor(), await get_district(slug), code)

    run_db(go)
    click.echo(f"{slug} 适用规则：{code}")


@click.group()
def estate() -> None:
    """Estates (小区)."""


@estate.command("add")
@click.option("--district", "-d", required=True)
@click.argument("code")
@click.argument("name")
@click.option("--address", default="")
def estate_add(district: str, code: str, name: str, address: str) -> None:
    """Register an estate in a district."""
    from core.district_services import add_estate
    from core.districts import get_district

    async def go(runtime: Runtime) -> Any:
        return await add_estate(runtime, cli_actor(), await get_district(district), code, name, address)

    run_db(go)
    click.echo(f"已登记小区：{code} {name}")


# --- staff ------------------------------------------------------------------------------------------


@click.group()
def staff() -> None:
    """Staff accounts, roles and API tokens."""


@staff.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="姓名")
@click.option("--role", type=click.Choice(["city_admin", "district_officer", "committee_member", "counter"]))
@click.option("--district", "-d", default=None)
@click.option("--estate", "-e", default=None)
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（否则交互输入）")
def staff_add(
    username: str,
    display_name: str,
    role: str | None,
    district: str | None,
    estate: str | None,
    password_stdin: bool,
) -> None:
    """Create a staff account (and optionally grant a role)."""
    from core.identity.staff import create_staff, grant_role

    password = _read_password(password_stdin)

    async def go(_runtime: Runtime) -> None:
        await create_staff(cli_actor(), username, display_name, password)
        if role:
            await grant_role(cli_actor(), username, role, district, estate)

    run_db(go)
    click.echo(f"已创建账号：{username}")


@staff.command("grant")
@click.argument("username")
@click.argument("role", type=click.Choice(["city_admin", "district_officer", "committee_member", "counter"]))
@click.option("--district", "-d", default=None)
@click.option("--estate", "-e", default=None)
@click.option("--scope", default="")
def staff_grant(username: str, role: str, district: str | None, estate: str | None, scope: str) -> None:
    """Grant a role to a staff member."""
    from core.identity.staff import grant_role

    run_db(lambda _runtime: grant_role(cli_actor(), username, role, district, estate, scope))
    click.echo(f"已授予 {username} 角色 {role}")


@staff.command("token")
@click.argument("username")
@click.option("--label", default="cli")
@click.option("--days", type=int, default=90, show_default=True)
def staff_token(username: str, label: str, days: int) -> None:
    """Issue an API bearer token (shown once, stored only as a hash)."""
    from core.identity.staff import issue_token

    token = run_db(lambda _runtime: issue_token(cli_actor(), username, label, days))
    click.echo(token)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    return password


# --- audit ------------------------------------------------------------------------------------------


@click.group()
def audit() -> None:
    """The append-only audit log."""


@audit.command("verify")
@click.option("--anchor", default=None, help="SEQ:HASH recorded earlier (detects a truncated log)")
@click.option("--json", "as_json", is_flag=True)
def audit_verify(anchor: str | None, as_json: bool) -> None:
    """Recompute the hash chain; exit 1 listing every broken entry."""
    from core.identity import audit as audit_log

    parsed: tuple[int, str] | None = None
    if anchor:
        try:
            seq_text, hash_text = anchor.split(":", 1)
            parsed = (int(seq_text), hash_text.strip())
        except ValueError:
            raise CLIError("--anchor 的格式应为 序号:哈希值") from None
    count, problems = run_db(lambda _runtime: audit_log.verify(parsed))
    if as_json:
        echo_json({"entries": count, "ok": not problems, "discrepancies": [p.to_dict() for p in problems]})
    elif problems:
        click.echo(f"审计日志校验失败：共 {count} 条，发现 {len(problems)} 处问题", err=True)
        for p in problems:
            click.echo(f"  #{p.seq} {p.problem}: {p.detail}", err=True)
    else:
        click.echo(f"审计日志完整：共 {count} 条，哈希链校验通过。")
    if problems:
        sys.exit(1)


@audit.command("head")
def audit_head() -> None:
    """Print SEQ:HASH of the newest entry, to record outside the database."""
    from core.identity import audit as audit_log

    seq, digest = run_db(lambda _runtime: audit_log.head())
    click.echo(f"{seq}:{digest}")


# --- jurisdictions ------------------------------------------------------------------------------------


@click.group()
def jurisdictions() -> None:
    """Jurisdiction profiles (law as data)."""


@jurisdictions.command("list")
@click.option("--json", "as_json", is_flag=True)
def jurisdictions_list(as_json: bool) -> None:
    from core.jurisdiction import configured_registry

    registry = configured_registry()
    rows = [
        {"code": p.code, "name": p.name, "default": p.code == registry.default_code} for p in registry.all()
    ]
    if as_json:
        echo_json(rows)
    else:
        for row in rows:
            click.echo(f"{row['code']:<20} {row['name']}{'  (默认)' if row['default'] else ''}")


@jurisdictions.command("show")
@click.argument("code")
def jurisdictions_show(code: str) -> None:
    from core.jurisdiction import configured_registry

    echo_json(configured_registry().get(code).to_dict())  # an unknown code: exit 2 (core.cli._Program)


def add_core_commands(group: click.Group) -> None:
    from core.cli.demo import demo
    from core.cli.workdays import workdays

    for command in (run, migrate, plugins, district, estate, staff, audit, jurisdictions, workdays, demo):
        group.add_command(command)
