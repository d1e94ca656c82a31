"""``wuye plugins new NAME``: a new plugin on the one skeleton, as a package of its own.

The files come from ``core/cli/scaffold/`` (``*.tmpl`` with ``{{name}}``-style placeholders; other files
are copied as they are): a plugin with a table and its migration, a page and a document template,
messages, schemas, pure rules, a service, an API and a console page, a CLI command, demo data, a docs
page and tests that pass as generated — on SQLite and PostgreSQL, and against the contract test.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from core.resources import package_folder

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
#: Names a plugin may not take: core's URL segments and Python's or wuye's own packages.
RESERVED = {"core", "plugins", "estates", "jurisdiction", "jurisdictions", "audit", "api", "login", "logout",
            "console", "v", "verify", "tests", "docs", "test"}  # fmt: skip


class ScaffoldError(ValueError):
    """The name or the target folder cannot be used (the message is Chinese, for the operator)."""


def check_name(name: str, installed: set[str]) -> None:
    if not NAME_RE.match(name):
        raise ScaffoldError(f"插件名只能包含小写字母、数字和下划线，以字母开头，2 到 40 个字符：{name}")
    if name in RESERVED:
        raise ScaffoldError(f"插件名与平台保留的名称冲突：{name}")
    if name in installed:
        raise ScaffoldError(f"已安装同名插件：{name}")


def placeholders(name: str, title: str, now: datetime | None = None) -> dict[str, str]:
    now = now or datetime.now(UTC)
    return {
        "{{name}}": name,
        "{{dist}}": name.replace("_", "-"),
        "{{Class}}": "".join(part.title() for part in name.split("_")),
        "{{title}}": title,
        "{{migration_id}}": now.strftime("%Y-%m-%dT%H:%M:%S:%f"),
        "{{migration_stamp}}": now.strftime("%Y_%m_%dt%H_%M_%S_%f"),
    }


def _target_path(relative: Path, name: str, values: dict[str, str]) -> Path:
    parts = []
    for part in relative.parts:
        if part == "pkg":
            part = f"wuye_{name}"
        elif part == "NAME_initial.py.tmpl":
            part = f"{name}_{values['{{migration_stamp}}']}.py.tmpl"
        parts.append(part.replace("NAME", name))
    path = Path(*parts)
    return path.with_suffix("") if path.suffix == ".tmpl" else path


def scaffold(name: str, title: str, parent: Path, installed: Iterable[str] = ()) -> Path:
    """Write the new plugin's project folder ``parent/wuye-<name>`` and return it."""
    check_name(name, set(installed))
    title = title.strip() or name
    target = parent / f"wuye-{name.replace('_', '-')}"
    if target.exists():
        raise ScaffoldError(f"目标目录已存在：{target}")
    values = placeholders(name, title)
    source = package_folder("core.cli", "scaffold")
    staging = parent / f".{target.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for path in sorted(source.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts:
                continue
            out = staging / _target_path(path.relative_to(source), name, values)
            out.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".tmpl":
                text = path.read_text(encoding="utf-8")
                for key, value in values.items():
                    text = text.replace(key, value)
                out.write_text(text, encoding="utf-8")
            else:
                shutil.copyfile(path, out)
        staging.rename(target)  # all or nothing: a failure leaves no half-written plugin behind
    except OSError as exc:  # a folder that cannot be written (permissions, a full disk, a file in the way)
        raise ScaffoldError(f"无法在 {parent} 创建插件目录：{exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
