"""The plugin manager: essential built-ins, discovery, blocking, plugin-owned hooks, subset callers."""

from __future__ import annotations

import types

import pytest

from core import hookimpl
from core.plugins import (
    DistrictHooks,
    PluginError,
    create_plugin_manager,
    duty_names,
    get_plugins,
    piccolo_app_modules,
)

TOY = "tests.fixtures.plugins.toy_duty.plugin"


def test_essential_plugins_are_always_there_and_cannot_be_blocked():
    pm = create_plugin_manager(entrypoints=False)
    names = [p.name for p in get_plugins(pm)]
    assert names[:2] == ["core", "jurisdictions"]
    with pytest.raises(PluginError, match="基础模块不能停用"):
        create_plugin_manager(blocked=["core"])
    with pytest.raises(PluginError, match="基础模块不能停用"):
        create_plugin_manager(blocked=["jurisdictions"])


def test_one_off_plugins_by_module_path_and_blocking():
    pm = create_plugin_manager(entrypoints=False, extra=[TOY])
    assert "toy_duty" in duty_names(pm)
    assert "tests.fixtures.plugins.toy_duty.piccolo_app" in piccolo_app_modules(pm)
    blocked = create_plugin_manager(entrypoints=False, extra=[TOY], blocked=["toy_duty"])
    assert "toy_duty" not in [p.name for p in get_plugins(blocked)]
    assert piccolo_app_modules(blocked) == ["core.piccolo_app"]


def test_each_call_builds_a_fresh_manager():
    first = create_plugin_manager(entrypoints=False, extra=[TOY])
    second = create_plugin_manager(entrypoints=False)
    assert first is not second
    assert first.get_plugin("toy_duty") is not None and second.get_plugin("toy_duty") is None


def test_a_misspelt_hook_fails_at_start_up():
    bad = types.ModuleType("bad_plugin")

    @hookimpl
    def register_route():  # missing "s"
        return []

    bad.register_route = register_route  # type: ignore[attr-defined]
    with pytest.raises(PluginError, match="register_route"):
        create_plugin_manager(entrypoints=False, extra=[bad])


def test_plugins_publish_their_own_hooks():
    pm = create_plugin_manager(entrypoints=False, extra=[TOY])
    assert pm.hook.toy_duty_greeting(district_slug="alpha") == "您好"
    assert pm.hook.toy_duty_greeting(district_slug="beta") is None

    class Polite:
        PLUGIN_NAME = "polite"

        @hookimpl
        def toy_duty_greeting(self, district_slug):
            return "早上好"

    pm2 = create_plugin_manager(entrypoints=False, extra=[TOY, Polite()])
    assert pm2.hook.toy_duty_greeting(district_slug="beta") == "早上好"


def test_district_hooks_leave_out_disabled_plugins():
    pm = create_plugin_manager(entrypoints=False, extra=[TOY])
    district = types.SimpleNamespace(slug="alpha")
    everyone = DistrictHooks(pm, disabled=[])
    assert [m.plugin for batch in everyone.menu_items(district=district, actor=None) for m in batch] == [
        "toy_duty"
    ]
    without = DistrictHooks(pm, disabled=["toy_duty"])
    assert without.menu_items(district=district, actor=None) == []


def test_plugin_info_lists_hooks_and_apps():
    pm = create_plugin_manager(entrypoints=False, extra=[TOY])
    toy = next(p for p in get_plugins(pm) if p.name == "toy_duty")
    assert toy.duty and not toy.essential
    assert {"register_routes", "menu_items", "on_event", "document_context"} <= set(toy.hooks)
    assert toy.piccolo_apps == ("tests.fixtures.plugins.toy_duty.piccolo_app",)
