"""The plugin manager: built-ins by module path, duties and third parties by entry point.

One manager per app (pytest's shape, no module global): :func:`create_plugin_manager` builds it,
registers the essential built-ins (which cannot be blocked), loads the ``wuye`` entry-point group
(our own duties are found exactly like a third party's), registers one-off plugins given by module
path, and calls ``check_pending()`` so a misspelt hook name fails at start-up.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from core import hookspecs
from core.messages import add_messages, message

if TYPE_CHECKING:
    from core.districts import DistrictInfo as District

log = logging.getLogger("wuye.plugins")

ENTRYPOINT_GROUP = "wuye"

#: Built-in plugins registered by module path. They cannot be blocked (pytest's essential plugins).
ESSENTIAL_PLUGINS: dict[str, str] = {
    "core": "core.default_plugin",
    "jurisdictions": "plugins.jurisdictions.plugin",
}

#: Hooks whose implementation makes a plugin a *duty*: something a district switches on or off.
DUTY_HOOKS = ("register_routes", "menu_items", "register_piccolo_apps")


class PluginError(Exception):
    """A plugin could not be loaded or is inconsistent."""


def plugin_name_of(module: ModuleType) -> str:
    """A one-off plugin's name: its ``PLUGIN_NAME``, else its package's last segment."""
    explicit = getattr(module, "PLUGIN_NAME", None)
    if explicit:
        return str(explicit)
    parts = module.__name__.split(".")
    if parts[-1] == "plugin" and len(parts) > 1:
        return parts[-2]
    return parts[-1]


def create_plugin_manager(
    *,
    entrypoints: bool = True,
    blocked: Iterable[str] = (),
    extra: Iterable[str | ModuleType | object] = (),
) -> pluggy.PluginManager:
    """Build a fresh plugin manager.

    Args:
        entrypoints: load plugins from the ``wuye`` entry-point group.
        blocked: names of installed plugins to leave out (``WUYE_DISABLE_PLUGINS``).
        extra: one-off plugins, as module paths or objects (``WUYE_PLUGINS``, tests).
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.hook.register_hookspecs.call_historic(kwargs={"pm": pm})
    for name in blocked:
        if name in ESSENTIAL_PLUGINS:
            raise PluginError(message("plugin_essential", plugin=name))
        pm.set_blocked(name)
    for name, modpath in ESSENTIAL_PLUGINS.items():
        pm.register(importlib.import_module(modpath), name=name)
    if entrypoints:
        pm.load_setuptools_entrypoints(ENTRYPOINT_GROUP)
    for plugin in extra:
        obj = importlib.import_module(plugin) if isinstance(plugin, str) else plugin
        name = plugin_name_of(obj) if isinstance(obj, ModuleType) else getattr(obj, "PLUGIN_NAME", None)
        if name and pm.is_blocked(name):
            continue
        if name and pm.get_plugin(name) is not None:
            continue
        pm.register(obj, name=name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc)) from exc
    for catalogue in pm.hook.register_messages():
        try:
            add_messages(catalogue or {})
        except ValueError as exc:
            raise PluginError(str(exc)) from exc
    if os.environ.get("WUYE_TRACE_PLUGINS"):
        pm.trace.root.setwriter(lambda text: log.info(text.rstrip()))
        pm.enable_tracing()
    return pm


def create_plugin_manager_from_settings(settings: Any) -> pluggy.PluginManager:
    return create_plugin_manager(blocked=settings.disabled_plugins, extra=settings.extra_plugins)


async def await_me_maybe(value: Any) -> Any:
    """If ``value`` is callable, call it; if awaitable, await it; else return it (Datasette)."""
    if callable(value):
        value = value()
    if inspect.isawaitable(value):
        value = await value
    return value


@dataclass(frozen=True)
class PluginInfo:
    """What is known about one registered plugin (``wuye plugins list``, ``/-/plugins``)."""

    name: str
    title: str  #: shown to staff (Chinese); the plugin module's ``PLUGIN_TITLE``, else its name
    module: str
    version: str | None
    essential: bool
    duty: bool
    hooks: tuple[str, ...]
    piccolo_apps: tuple[str, ...] = ()
    template_dirs: dict[str, Path] = field(default_factory=dict)


def get_plugins(pm: pluggy.PluginManager) -> list[PluginInfo]:
    """Every registered plugin, essential ones first, then by name."""
    versions = {
        pm.get_name(plugin): dist.version for plugin, dist in pm.list_plugin_distinfo() if pm.get_name(plugin)
    }
    infos = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:  # blocked
            continue
        callers = pm.get_hookcallers(plugin) or []
        hooks = tuple(sorted(caller.name for caller in callers))
        apps: tuple[str, ...] = ()
        dirs: dict[str, Path] = {}
        if hasattr(plugin, "register_piccolo_apps"):
            apps = tuple(plugin.register_piccolo_apps() or ())
        if hasattr(plugin, "register_template_dirs"):
            dirs = dict(plugin.register_template_dirs() or {})
        infos.append(
            PluginInfo(
                name=name,
                title=str(getattr(plugin, "PLUGIN_TITLE", name)),
                module=getattr(plugin, "__name__", type(plugin).__name__),
                version=versions.get(name),
                essential=name in ESSENTIAL_PLUGINS,
                duty=name not in ESSENTIAL_PLUGINS and any(h in hooks for h in DUTY_HOOKS),
                hooks=hooks,
                piccolo_apps=apps,
                template_dirs=dirs,
            )
        )
    infos.sort(key=lambda p: (not p.essential, p.name))
    return infos


_duties: weakref.WeakKeyDictionary[pluggy.PluginManager, tuple[str, ...]] = weakref.WeakKeyDictionary()


def duty_names(pm: pluggy.PluginManager) -> tuple[str, ...]:
    """Names of the plugins a district can switch on or off (computed once per manager)."""
    if pm not in _duties:
        _duties[pm] = tuple(p.name for p in get_plugins(pm) if p.duty)
    return _duties[pm]


def piccolo_app_modules(pm: pluggy.PluginManager) -> list[str]:
    """Every Piccolo app module: core's first, then each plugin's."""
    modules = ["core.piccolo_app"]
    for apps in pm.hook.register_piccolo_apps():
        for app in apps or ():
            if app not in modules:
                modules.append(app)
    return modules


class DistrictHooks:
    """``pm.hook`` without the plugins switched off for one district (pluggy's subset caller)."""

    def __init__(self, pm: pluggy.PluginManager, disabled: Iterable[str]) -> None:
        self._pm = pm
        self._removed = [p for n in disabled if (p := pm.get_plugin(n)) is not None]

    def __getattr__(self, name: str) -> Any:
        if not self._removed:
            return getattr(self._pm.hook, name)
        return self._pm.subset_hook_caller(name, self._removed)


async def hooks_for(pm: pluggy.PluginManager, district: District) -> DistrictHooks:
    """The runtime hooks that may be called for ``district``."""
    from core.districts import enabled_plugins

    enabled = await enabled_plugins(district)
    disabled = [name for name in duty_names(pm) if name not in enabled]
    return DistrictHooks(pm, disabled)
