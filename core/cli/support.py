"""What every ``wuye`` command uses (core's and the plugins', through the SDK).

Conventions: user errors print one line to stderr and exit with code 2 (never a traceback);
``--json`` prints machine-readable output on stdout. Commands that touch the database run through
:func:`run_db`, which starts a runtime on the configured database and hands it to the command.
"""

from __future__ import annotations

import asyncio
import functools
import getpass
import json
import os
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from core.errors import WuyeError

if TYPE_CHECKING:
    from core.runtime import Runtime

T = TypeVar("T")


class CLIError(click.ClickException):
    """A user error on the command line: stderr, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


def fail(message: str) -> CLIError:
    return CLIError(message)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False, default=str))


def run_db(coro_fn: Callable[[Runtime], Awaitable[T]]) -> T:
    """Run ``coro_fn(runtime)`` with a runtime started on the configured database (a command's services
    get the runtime from here, never from a process global); map errors to CLI errors."""
    from core.runtime import database

    async def runner() -> T:
        async with database() as runtime:
            return await coro_fn(runtime)

    return run_async(runner)


def run_async(coro_fn: Callable[[], Awaitable[T]]) -> T:
    import sqlite3

    import asyncpg

    try:
        return asyncio.run(coro_fn())  # type: ignore[arg-type]
    except WuyeError as exc:
        raise CLIError(exc.message) from None
    except (OSError, ConnectionError) as exc:
        raise CLIError(f"无法连接数据库：{exc}") from None
    except (sqlite3.Error, asyncpg.PostgresError) as exc:
        if "no such table" in str(exc) or "does not exist" in str(exc):
            raise CLIError(f"数据库尚未初始化，请先运行 wuye migrate（{exc}）") from None
        raise CLIError(f"数据库错误：{exc}") from None


def handle_errors(fn: Callable[..., T]) -> Callable[..., T]:
    """Turn :class:`WuyeError` raised by a command into a CLI error (exit 2)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except WuyeError as exc:
            raise CLIError(exc.message) from None

    return wrapper


_PROGRAM = False  #: set when this process IS the ``wuye`` program (not a caller of :func:`main`)


def exit_program(code: int) -> None:
    """End a command with ``code``. Run as the ``wuye`` program, leave at once, output flushed, without
    tearing down the heap object by object: a command that parsed a huge document (``wuye verify`` of
    100,000 ballots: half a second of freeing) is done when its output is written. Called in-process
    (tests, other programs), a plain ``sys.exit``."""
    if _PROGRAM:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def running_as_program() -> None:
    """Called by :func:`core.cli.main.main` when this process is the ``wuye`` program itself."""
    global _PROGRAM
    _PROGRAM = True


def cli_actor() -> str:
    """How the audit log names an operator at the command line."""
    try:
        user = getpass.getuser()
    except Exception:  # no passwd entry in some containers
        user = "unknown"
    return f"cli:{user}"
