"""The test harness itself: every run (every pytest-xdist worker) has a PostgreSQL database of its own,
so runs started at the same time on one machine do not drop each other's schema."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core.testing import (
    POSTGRES_URL,
    TEST_DATABASE_PREFIX,
    _host_tag,
    _in_thread,
    require,
    stale_test_databases,
)


def test_only_databases_of_finished_runs_on_this_host_are_stale() -> None:
    host = _host_tag()
    alive = os.getpid()
    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    names = [
        f"{TEST_DATABASE_PREFIX}{host}_{alive}_0a1b2c3d",
        f"{TEST_DATABASE_PREFIX}{host}_{dead}_0a1b2c3d",
        f"{TEST_DATABASE_PREFIX}abcdef_{dead}_0a1b2c3d" if host != "abcdef" else "x",
        "test",
        "wuye_bench",
    ]
    assert stale_test_databases(names) == [f"{TEST_DATABASE_PREFIX}{host}_{dead}_0a1b2c3d"]


async def test_this_session_has_its_own_postgres_database(wuye_databases: dict[str, str | None]) -> None:
    url = wuye_databases["postgres"]
    require(url is not None, "PostgreSQL unavailable")
    assert url is not None
    name = urlsplit(url).path.lstrip("/")
    assert name.startswith(f"{TEST_DATABASE_PREFIX}{_host_tag()}_{os.getpid()}_")
    assert name != urlsplit(POSTGRES_URL).path.lstrip("/")


def our_databases() -> list[str]:
    import asyncpg

    async def names() -> list[str]:
        conn = await asyncpg.connect(POSTGRES_URL, timeout=10)
        try:
            rows = await conn.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1",
                f"{TEST_DATABASE_PREFIX}{_host_tag()}_%",
            )
        finally:
            await conn.close()
        return [row["datname"] for row in rows]

    return _in_thread(names)


SMALL_SUITE = """
from core.district_services import add_district, switch_plugin


async def test_a_district_is_written_and_read_back(db):
    district = await add_district(db, "test", "alpha", "甲街道", "", "national")
    await switch_plugin(db, "test", district, "voting", True)
    from core.districts import enabled_plugins, list_districts

    assert [d.slug for d in await list_districts()] == ["alpha"]
    assert "voting" in await enabled_plugins(district)
"""


def test_two_runs_started_together_both_pass(tmp_path: Path, wuye_databases: dict[str, str | None]) -> None:
    require(wuye_databases["postgres"] is not None, "PostgreSQL unavailable")
    suite = tmp_path / "test_small.py"
    suite.write_text(textwrap.dedent(SMALL_SUITE), encoding="utf-8")
    options = ["asyncio_mode=auto", "asyncio_default_fixture_loop_scope=session"]
    options.append("asyncio_default_test_loop_scope=session")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider"]
    command += [arg for option in options for arg in ("-o", option)]
    command += ["--rootdir", str(tmp_path), str(suite)]
    env = {**os.environ, "WUYE_REQUIRE_ALL": "1"}
    runs = [
        subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output
        assert "2 passed" in output, output
    pids = {str(run.pid) for run in runs}
    left = [name for name in our_databases() if name.split("_")[3] in pids]
    assert not left, f"the runs left their databases behind: {left}"


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_each_backend_has_a_database(backend: str, wuye_databases: dict[str, str | None]) -> None:
    require(wuye_databases[backend] is not None, f"{backend} unavailable")
