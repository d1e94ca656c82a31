"""The example third-party plugin in docs/examples/ is installed with pip and discovered."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys

import pytest

from core.jurisdiction import JurisdictionRegistry
from core.plugins import create_plugin_manager, get_plugins
from core.settings import PROJECT_ROOT
from core.testing import wuye_command, wuye_env

PACKAGE = PROJECT_ROOT / "docs" / "examples" / "wuye-weifang"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory):
    target = tmp_path_factory.mktemp("site")
    # Build from a copy: setuptools writes build/ and *.egg-info into the folder it builds, and two
    # test runs of one checkout must not build in the same folder at once.
    source = tmp_path_factory.mktemp("example") / PACKAGE.name
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        for name in [m for m in sys.modules if m.startswith("wuye_weifang")]:
            del sys.modules[name]
        importlib.invalidate_caches()


def test_the_entry_point_is_discovered(installed):
    names = [ep.name for ep in importlib.metadata.entry_points(group="wuye")]
    assert "weifang" in names
    pm = create_plugin_manager()
    weifang = next(p for p in get_plugins(pm) if p.name == "weifang")
    assert weifang.version == "0.1.0" and not weifang.duty


def test_its_profile_extends_the_national_one(installed):
    registry = JurisdictionRegistry.from_plugins(create_plugin_manager())
    weifang = registry.get("weifang-example")
    national = registry.get("national")
    assert weifang.parent == "national"
    assert weifang.rule("voting", "proxy_cap") == 3
    assert weifang.rule("voting", "e_voting_channel") == "municipal_system"
    assert weifang.thresholds == national.thresholds
    for rules in weifang.rules.values():
        for rule in rules.values():
            assert rule.source.article


def test_the_cli_sees_it(installed, tmp_path):
    env = wuye_env(f"sqlite:///{tmp_path}/x.sqlite3", [])
    env["PYTHONPATH"] = os.pathsep.join([str(installed), env["PYTHONPATH"]])
    listed = json.loads(wuye_command("jurisdictions", "list", "--json", env=env).stdout)
    assert {"weifang", "weifang-example"} <= {row["code"] for row in listed}
    shown = json.loads(wuye_command("jurisdictions", "show", "weifang-example", env=env).stdout)
    assert shown["rules"]["voting"]["proxy_cap"]["value"] == 3
    assert "潍坊" in shown["rules"]["voting"]["proxy_cap"]["source"]["article"]
