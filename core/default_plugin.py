"""Core's own hook implementations (essential: registered by module path, cannot be blocked)."""

from __future__ import annotations

from pathlib import Path

from core import hookimpl
from core.settings import PROJECT_ROOT


@hookimpl(trylast=True)
def register_template_dirs() -> dict[str, Path]:
    return {"core": PROJECT_ROOT / "templates" / "core"}
