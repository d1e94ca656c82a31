"""Core's own hook implementations (essential: registered by module path, cannot be blocked)."""

from __future__ import annotations

from pathlib import Path

from core import hookimpl, package_folder


@hookimpl(trylast=True)
def register_template_dirs() -> dict[str, Path]:
    return {"core": package_folder(__package__, "templates")}


@hookimpl(trylast=True)
def register_static_dirs() -> dict[str, Path]:
    return {"core": package_folder(__package__, "static")}
