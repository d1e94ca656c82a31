"""``wuye plugins new``: a plugin scaffolded on the skeleton installs, passes its own tests on both
databases and passes the contract test every plugin must meet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from core.testing import wuye_command, wuye_env

NAME = "notices"


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    parent = tmp_path_factory.mktemp("scaffold")
    env = wuye_env(f"sqlite:///{parent}/x.sqlite3", [])
    result = wuye_command("plugins", "new", NAME, "--title", "通知公告", "--dir", str(parent), env=env)
    project = parent / "wuye-notices"
    assert str(project) in result.stdout
    site = parent / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            site,
            project,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return project, site


def test_it_writes_the_skeleton(scaffolded: tuple[Path, Path]) -> None:
    project, _ = scaffolded
    package = project / "wuye_notices"
    for entry in ["plugin.py", "tables.py", "piccolo_app.py", "messages.py", "schemas.py", "rules.py",
                  "cli.py", "demo.py", "services/items.py", "web/api.py", "web/console.py",
                  "templates/home.html", "templates/notice.docx"]:  # fmt: skip
        assert (package / entry).is_file(), entry
    assert list((package / "piccolo_migrations").glob("notices_*.py"))
    assert (project / "docs" / "notices.md").is_file() and (project / "tests" / "test_notices.py").is_file()
    assert "{{" not in "".join(p.read_text() for p in package.rglob("*.py"))


def test_the_generated_code_is_lint_clean(scaffolded: tuple[Path, Path]) -> None:
    project, _ = scaffolded
    ruff = Path(sys.executable).with_name("ruff")
    for args in (["check"], ["format", "--check"]):  # with the project's own ruff settings
        result = subprocess.run([ruff, *args, "."], cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def run_pytest(args: list[str], cwd: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(PROJECT_ROOT)]),
        "WUYE_REQUIRE_ALL": "1",
    }
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_its_own_tests_pass_on_both_databases(scaffolded: tuple[Path, Path]) -> None:
    project, site = scaffolded
    result = run_pytest([], project, site)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "5 passed" in result.stdout, result.stdout[-2000:]


def test_it_meets_the_plugin_contract(scaffolded: tuple[Path, Path]) -> None:
    _, site = scaffolded
    result = run_pytest(["tests/contract", "-k", NAME], PROJECT_ROOT, site)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout


def test_a_bad_or_taken_name_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    env = wuye_env(f"sqlite:///{tmp_path}/x.sqlite3", [])
    for name, words in [("Bad-Name", "小写字母"), ("voting", "已安装同名插件"), ("audit", "保留")]:
        result = wuye_command("plugins", "new", name, "--dir", str(tmp_path), env=env, check=False)
        assert result.returncode == 2 and words in result.stderr, (name, result.stderr)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(("wuye-", ".wuye-"))]


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    env = wuye_env(f"sqlite:///{tmp_path}/x.sqlite3", [])
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    result = wuye_command("plugins", "new", "notices", "--dir", str(blocker / "sub"), env=env, check=False)
    assert result.returncode == 2 and "无法在" in result.stderr and "Traceback" not in result.stderr
