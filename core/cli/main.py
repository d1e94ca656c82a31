"""The ``wuye`` program: the command tree (core's commands and every plugin's ``register_commands``)."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from core.cli.commands import add_core_commands
from core.cli.support import CLIError, running_as_program
from core.errors import WuyeError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wuye")
def cli() -> None:
    """wuye：街道房屋管理事务平台 (housing-office platform)."""


class _Program(click.Group):
    """The command tree: a :class:`WuyeError` escaping any command (a configuration that cannot work,
    say) is a user error, exit code 2 — never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WuyeError as exc:
            raise CLIError(exc.message) from None


def build_cli() -> click.Group:
    """The full command tree: core commands plus every plugin's ``register_commands``."""
    from core.plugins import PluginError, create_plugin_manager_from_settings
    from core.settings import get_settings

    group = _Program(name="wuye", commands=dict(cli.commands), help=cli.help)
    group.params = list(cli.params)
    add_core_commands(group)
    try:
        pm = create_plugin_manager_from_settings(get_settings())
    except PluginError as exc:
        raise CLIError(f"插件加载失败：{exc}") from None
    pm.hook.register_commands(cli=group)
    return group


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")
    if argv is None:
        running_as_program()
    try:
        group = build_cli()
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    group.main(args=argv, prog_name="wuye", standalone_mode=True)
