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
            from core.documents.render import undeclared_variables

            undeclared_variables(document)  # parsed with the documents' filters (title_lines, …)


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


#: The one skeleton of a duty's package (docs/writing_plugins.md): what it must hold and may hold.
SKELETON_REQUIRED = {
    "plugin.py", "tables.py", "piccolo_app.py", "messages.py", "schemas.py",
    "piccolo_migrations/", "templates/", "services/", "web/",
}  # fmt: skip
SKELETON_PURE = {"rules.py", "rules/", "protocol/"}  #: the database-free rules: at least one of these
SKELETON_OPTIONAL = {"__init__.py", "cli.py", "demo.py", "documents.py", "hookspecs.py", "static/"}


def skeleton_entries(folder: Path) -> set[str]:
    return {
        f"{entry.name}/" if entry.is_dir() else entry.name
        for entry in folder.iterdir()
        if entry.name != "__pycache__" and (entry.is_dir() or entry.suffix == ".py")
    }


def test_a_duty_follows_the_skeleton(pm: Any, plugin_name: str) -> None:
    from core.plugins import DUTY_HOOKS

    plugin = plugin_object(pm, plugin_name)
    if not inspect.ismodule(plugin) or not any(hasattr(plugin, hook) for hook in DUTY_HOOKS):
        pytest.skip("not a duty")
    folder = Path(plugin.__file__).parent
    if folder.is_relative_to(PROJECT_ROOT / "tests"):
        pytest.skip("a fixture of the tests")
    entries = skeleton_entries(folder)
    assert entries >= SKELETON_REQUIRED, f"{folder} lacks {sorted(SKELETON_REQUIRED - entries)}"
    assert entries & SKELETON_PURE, f"{folder} has no rules.py, rules/ or protocol/"
    extra = entries - SKELETON_REQUIRED - SKELETON_PURE - SKELETON_OPTIONAL
    assert not extra, f"{folder}: {sorted(extra)} belong in services/, web/ or the pure rules"
    for package in ("services", "web"):
        assert (folder / package / "__init__.py").is_file(), f"{package}/ is not a package"

    # plugin.py holds hooks only: a docstring, imports, UPPER_CASE constants and @hookimpl functions.
    tree = ast.parse((folder / "plugin.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Expr | ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            imports_only = all(isinstance(n, ast.Import | ast.ImportFrom) for n in node.body)
            assert imports_only, "plugin.py: only imports under TYPE_CHECKING"
            continue
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            assert all(isinstance(t, ast.Name) and t.id.isupper() for t in targets), ast.dump(node)[:80]
            continue
        assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef), f"plugin.py: {type(node).__name__}"
        decorators = [ast.unparse(d) for d in node.decorator_list]
        assert any(d.startswith("hookimpl") for d in decorators), f"plugin.py: {node.name} is not a hook"

    # use cases take no Request objects: services import nothing from the web framework
    for source in (folder / "services").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            assert not any(m.split(".")[0] == "litestar" for m in modules), f"{source} imports {modules}"
