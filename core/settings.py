"""Runtime settings, read from the environment (and an optional TOML file).

Every value has a default that makes ``make run`` work on a fresh machine with the embedded SQLite
database under ``./var/``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """What a running wuye needs to know about its environment."""

    database_url: str
    var_dir: Path
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    disabled_plugins: tuple[str, ...] = ()
    extra_plugins: tuple[str, ...] = ()
    default_jurisdiction: str = "national"
    session_hours: int = 12
    cookie_secure: bool = False
    debug: bool = False
    plugin_settings: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from ``env`` (default: ``os.environ``) and ``WUYE_CONFIG`` (a TOML file)."""
    env = dict(os.environ if env is None else env)
    file_values: dict[str, Any] = {}
    config_path = env.get("WUYE_CONFIG")
    if config_path:
        with open(config_path, "rb") as fh:
            file_values = tomllib.load(fh)
    wuye = file_values.get("wuye", {})
    var_dir = Path(env.get("WUYE_VAR_DIR") or wuye.get("var_dir") or PROJECT_ROOT / "var").resolve()
    database_url = (
        env.get("WUYE_DATABASE_URL") or wuye.get("database_url") or f"sqlite:///{var_dir}/wuye.sqlite3"
    )
    port = int(env.get("WUYE_PORT") or wuye.get("port") or 8000)
    host = env.get("WUYE_HOST") or wuye.get("host") or "127.0.0.1"
    return Settings(
        database_url=database_url,
        var_dir=var_dir,
        base_url=(env.get("WUYE_BASE_URL") or wuye.get("base_url") or f"http://{host}:{port}").rstrip("/"),
        host=host,
        port=port,
        disabled_plugins=_split(env.get("WUYE_DISABLE_PLUGINS")) or tuple(wuye.get("disabled_plugins", ())),
        extra_plugins=_split(env.get("WUYE_PLUGINS")) or tuple(wuye.get("plugins", ())),
        default_jurisdiction=env.get("WUYE_DEFAULT_JURISDICTION")
        or wuye.get("default_jurisdiction")
        or "national",
        session_hours=int(env.get("WUYE_SESSION_HOURS") or wuye.get("session_hours") or 12),
        cookie_secure=(env.get("WUYE_COOKIE_SECURE") or str(wuye.get("cookie_secure", ""))).lower()
        in {"1", "true", "yes"},
        debug=(env.get("WUYE_DEBUG") or "").lower() in {"1", "true", "yes"},
        plugin_settings=dict(file_values.get("plugins", {})),
    )


_cached: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings, read once."""
    global _cached
    if _cached is None:
        _cached = load_settings()
    return _cached


def reset_settings_cache() -> None:
    """Forget the cached settings (tests change the environment)."""
    global _cached
    _cached = None
