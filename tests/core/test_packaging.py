"""The built wheel carries what the installed platform reads at run time: every template folder that a
plugin registers, every migration and every data file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from core.plugins import create_plugin_manager
from core.settings import PROJECT_ROOT

_IGNORED_ANYWHERE = shutil.ignore_patterns(
    ".git", ".venv", "var", "build", "dist", "*.egg-info", "__pycache__"
)
_IGNORED_AT_THE_TOP = {"tests", "docs", "benchmarks", "node_modules"}


def ignored_in_copy(folder: str, names: list[str]) -> set[str]:
    ignored = set(_IGNORED_ANYWHERE(folder, names))
    if Path(folder) == PROJECT_ROOT:
        ignored |= _IGNORED_AT_THE_TOP & set(names)
    return ignored


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    source = tmp_path_factory.mktemp("source") / "wuye"
    shutil.copytree(PROJECT_ROOT, source, ignore=ignored_in_copy)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            out,
            source,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("wuye-*.whl")
    return zipfile.ZipFile(built)


def shipped_files(folder: Path) -> set[str]:
    return {
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_holds_every_registered_template(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    pm = create_plugin_manager()
    expected: set[str] = set()
    for dirs in pm.hook.register_template_dirs():
        for folder in (dirs or {}).values():
            folder = Path(folder).resolve()
            if folder.is_relative_to(PROJECT_ROOT / "tests"):
                continue  # the toy plugin of the tests is not part of the platform
            expected |= shipped_files(folder)
    assert {name.split("/")[0] for name in expected} >= {"core", "plugins"}
    assert any(name.endswith(".docx") for name in expected) and any(
        name.endswith(".html") for name in expected
    )
    missing = sorted(expected - names)
    assert not missing, f"the wheel lacks {missing}"


def test_the_wheel_holds_every_page_script(wheel: zipfile.ZipFile) -> None:
    pm = create_plugin_manager()
    expected: set[str] = set()
    for dirs in pm.hook.register_static_dirs():
        for folder in (dirs or {}).values():
            expected |= shipped_files(Path(folder).resolve())
    assert "plugins/voting/static/ballot.js" in expected
    missing = sorted(expected - set(wheel.namelist()))
    assert not missing, f"the wheel lacks {missing}"


def test_the_wheel_holds_every_migration(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    migrations = {
        path.relative_to(PROJECT_ROOT).as_posix()
        for top in ("core", "plugins")
        for path in (PROJECT_ROOT / top).glob("**/piccolo_migrations/*.py")
    }
    assert migrations and not sorted(migrations - names)


def test_the_wheel_holds_the_plugin_scaffold(wheel: zipfile.ZipFile) -> None:
    expected = shipped_files(PROJECT_ROOT / "core" / "cli" / "scaffold")
    assert any(name.endswith("plugin.py.tmpl") for name in expected)
    assert not sorted(expected - set(wheel.namelist()))
