"""Contract every plugin must meet, parametrised over every discovered plugin (design.md §1):
one name everywhere, routes guarded under /d/{district}/<name>, tables prefixed, migrations present,
templates that parse, owned hooks prefixed, firstresult hooks sync, no imports of another duty."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment
from litestar import Router

from core.plugins import create_plugin_manager, get_plugins
from core.settings import PROJECT_ROOT
from core.web.routing import (
    requires_district_access,
    requires_plugin_enabled,
    requires_plugin_enabled_for_object,
)

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED = {"plugins", "estates", "jurisdiction", "audit", "api", "login", "logout", "console", "v", "verify"}
SHARED_LIBRARIES = {"jurisdictions"}  # the essential law library any plugin may import


def _manager(config: pytest.Config) -> Any:
    return create_plugin_manager(extra=list(config.getini("wuye_plugins")))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "plugin_name" in metafunc.fixturenames:
        names = [p.name for p in get_plugins(_manager(metafunc.config)) if p.name != "core"]
        metafunc.parametrize("plugin_name", names)


@pytest.fixture(scope="module")
def pm(pytestconfig: pytest.Config) -> Any:
    return _manager(pytestconfig)


def plugin_object(pm: Any, name: str) -> Any:
    plugin = pm.get_plugin(name)
    assert plugin is not None
    return plugin


def package_of(plugin: Any) -> str:
    module = plugin.__name__ if inspect.ismodule(plugin) else type(plugin).__module__
    parts = module.split(".")
    return parts[-2] if parts[-1] == "plugin" and len(parts) > 1 else parts[-1]


def is_first_party(plugin: Any) -> bool:
    return inspect.ismodule(plugin) and plugin.__name__.startswith("plugins.")


def test_one_name(pm: Any, plugin_name: str) -> None:
    plugin = plugin_object(pm, plugin_name)
    assert NAME_RE.match(plugin_name), plugin_name
    assert plugin_name not in RESERVED, f"{plugin_name} collides with a core URL segment"
    assert package_of(plugin) in {plugin_name, f"wuye_{plugin_name}"}


def test_routes_live_under_the_district_prefix_behind_the_guards(pm: Any, plugin_name: str) -> None:
    plugin = plugin_object(pm, plugin_name)
    if not hasattr(plugin, "register_routes"):
        pytest.skip("no routes")
    for router in plugin.register_routes() or ():
        assert isinstance(router, Router), (
            "build routers with core.district_router or core.web.routing.public_router"
        )
        if router.opt.get("district_of"):  # a public router: enablement resolved from the object
            assert router.opt.get("plugin") == plugin_name
            assert requires_plugin_enabled_for_object in router.guards
            continue
        assert router.path == f"/d/{{district:str}}/{plugin_name}"
        assert router.opt.get("plugin") == plugin_name
        assert requires_plugin_enabled in router.guards
        if not router.opt.get("public"):
            assert requires_district_access in router.guards
        assert plugin_name in (router.tags or [])


def test_piccolo_app_tables_and_migrations(pm: Any, plugin_name: str) -> None:
    plugin = plugin_object(pm, plugin_name)
    if not hasattr(plugin, "register_piccolo_apps"):
        pytest.skip("no tables")
    for modpath in plugin.register_piccolo_apps():
        config = importlib.import_module(modpath).APP_CONFIG
        assert config.app_name == plugin_name
        assert "core.piccolo_app" in config.migration_dependencies
        for table in config.table_classes:
            assert table._meta.tablename.startswith(f"{plugin_name}_"), table._meta.tablename
        migrations = [p for p in Path(config.migrations_folder_path).glob(f"{plugin_name}_*.py")]
        assert migrations, f"no committed migrations in {config.migrations_folder_path}"


def test_templates_are_in_its_own_folder_and_parse(pm: Any, plugin_name: str) -> None:
    plugin = plugin_object(pm, plugin_name)
    folders: dict[str, Path] = {}
    if hasattr(plugin, "register_template_dirs"):
        folders.update(plugin.register_template_dirs() or {})
    if not folders:
        pytest.skip("no templates")
    assert set(folders) == {plugin_name}
    env = Environment()
    for folder in folders.values():
        for page in Path(folder).glob("*.html"):
            env.parse(page.read_text(encoding="utf-8"))
        for document in Path(folder).glob("*.docx"):
            from docxtpl import DocxTemplate

            DocxTemplate(str(document)).get_undeclared_template_variables()


def test_owned_hooks_are_prefixed_and_firstresult_hooks_sync(pm: Any, plugin_name: str) -> None:
    plugin = plugin_object(pm, plugin_name)
    for caller in pm.get_hookcallers(plugin) or []:
        spec = caller.spec
        if spec is None:
            continue
        if spec.opts.get("firstresult"):
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin:
                    assert not inspect.iscoroutinefunction(impl.function), f"{caller.name} must be sync"
        namespace = spec.namespace
        owner = getattr(namespace, "__name__", "")
        if owner and owner != "core.hookspecs" and owner.startswith(package_path(plugin)):
            assert caller.name.startswith(f"{plugin_name}_"), caller.name


def package_path(plugin: Any) -> str:
    module = plugin.__name__ if inspect.ismodule(plugin) else type(plugin).__module__
    return module.rsplit(".", 1)[0]


def test_no_imports_from_another_plugin(pm: Any, plugin_name: str) -> None:
    plugin = plugin_object(pm, plugin_name)
    if not inspect.ismodule(plugin) or not getattr(plugin, "__file__", None):
        pytest.skip("not a module")
    folder = Path(plugin.__file__).parent
    for source in folder.rglob("*.py"):
        if "piccolo_migrations" in source.parts:
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                parts = name.split(".")
                if parts[0] == "plugins" and len(parts) > 1:
                    other = parts[1]
                    assert other in {plugin_name, *SHARED_LIBRARIES}, f"{source}: imports {name}"


def test_first_party_plugins_have_docs_and_tests(pm: Any, plugin_name: str) -> None:
    plugin = plugin_object(pm, plugin_name)
    if not is_first_party(plugin):
        pytest.skip("third-party or test plugin")
    assert (PROJECT_ROOT / "docs" / "plugins" / f"{plugin_name}.md").is_file()
    assert (PROJECT_ROOT / "tests" / "plugins" / plugin_name).is_dir()
