"""``make crash`` in miniature: scripts/crash.py runs whole on each database (100 owners, one SIGKILL of
the server under load) and finds no acknowledged ballot lost, so the suite keeps the script working."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from core.testing import PROJECT_ROOT, postgres_reachable, require


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_crash_suite_loses_nothing_acknowledged(backend: str) -> None:
    if backend == "postgres":
        reason = postgres_reachable()
        require(reason is None, reason or "")
    result = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "crash.py"),
            "--backend",
            backend,
            "--voters",
            "100",
            "--kills",
            "1",
            "--clients",
            "16",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (report,) = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["kills"] == 1 and report["lost"] == 0 and report["extra"] == 0
    assert report["acknowledged"] == report["found"] > 0
    assert report["verified_ballots"] == report["stored"] == report["sealed_ballots"]
