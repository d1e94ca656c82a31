"""schemathesis against a real server's ``/schema/openapi.json``, on SQLite and PostgreSQL: every
operation as a district officer (bearer token) and anonymously, time-boxed, checking that no answer is
a 5xx and that every answer conforms to the document (status code, content type, headers, body) and
that a method the document does not list answers 405 with ``Allow``.

The server is ``wuye run`` on the test's database with the demo district (``wuye demo``): the
generated paths name the demo's district, estates, meetings, entrustments and cases most of the time
(schemathesis dictionaries), so requests reach the handlers and not only the 404 of an unknown
district. ``WUYE_FUZZ_SECONDS`` (default 40) bounds the officer's run, half of it the anonymous
one; ``WUYE_FUZZ_SEED`` changes the seed (default 1) to look further."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.testing import require, wuye_command, wuye_env

pytestmark = pytest.mark.fuzz

SECONDS = int(os.environ.get("WUYE_FUZZ_SECONDS", "40"))
SEED = os.environ.get("WUYE_FUZZ_SEED", "1")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "unsupported_method",
    ]
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dictionaries(demo: str) -> str:
    """schemathesis.toml: path parameters drawn from the demo's objects most of the time."""
    found = {
        "districts": ["demo"],
        "estates": ["DEMO-001", "DEMO2"],
        "meetings": re.findall(r"表决会议 ([A-Za-z0-9_-]{12})", demo),
        "entrustments": sorted(set(re.findall(r"hc\d{4}-[0-9a-f]{8}", demo))),
        "cases": sorted(set(re.findall(r"QZ\d{4}-[0-9A-F]{6}", demo))),
    }
    assert all(found.values()), found  # the demo printed what the fuzz needs
    lines = []
    for name, values in found.items():
        lines += [f"[dictionaries.{name}]", "values = [" + ", ".join(f'"{v}"' for v in values) + "]"]
    lines.append("[parameters]")
    for name, probability in [
        ("district", 0.8),
        ("estate", 0.7),
        ("meeting", 0.7),
        ("entrustment", 0.7),
        ("case", 0.7),
    ]:
        lines.append(f'"path.{name}" = {{ dictionary = "{name}s", probability = {probability} }}')
    return "\n".join(lines) + "\n"


@pytest.fixture
def demo_server(db: Any, wuye_plugins: list[str], tmp_path: Path) -> Iterator[dict[str, Any]]:
    """``wuye run`` on the test's database (emptied by ``db``) with the demo district loaded."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = wuye_env(db.settings.database_url, wuye_plugins, WUYE_VAR_DIR=str(tmp_path), WUYE_BASE_URL=base)
    demo = wuye_command("demo", env=env).stdout
    token = wuye_command("staff", "token", "officer", env=env).stdout.split()[-1]
    assert token.startswith("wuye_"), token
    log_path = tmp_path / "server.log"
    exe = Path(sys.executable).with_name("wuye")
    with open(log_path, "w") as log:
        server = subprocess.Popen([str(exe), "run", "--port", str(port)], env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/-/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(log_path.read_text()) from None
                    time.sleep(0.2)
            yield {"base": base, "token": token, "demo": demo, "log": log_path}
        finally:
            server.terminate()
            server.wait(timeout=20)


def schemathesis(server: dict[str, Any], workdir: Path, *args: str, seconds: int) -> tuple[int, str]:
    exe = Path(sys.executable).with_name("schemathesis")
    require(exe.exists(), "schemathesis is not installed (pip install -e '.[dev]')")
    config = workdir / "schemathesis.toml"
    config.write_text(dictionaries(server["demo"]), encoding="utf-8")
    command = [
        str(exe),
        "--config-file",
        str(config),
        "--no-color",
        "run",
        f"{server['base']}/schema/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        "25",
        "--seed",
        SEED,
        "--max-time",
        str(seconds),
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--output-truncate",
        "true",
        *args,
    ]
    result = subprocess.run(
        command, cwd=workdir, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    return result.returncode, result.stdout + result.stderr


def verdict(output: str) -> tuple[int, int]:
    """(test cases generated, passed) from schemathesis' summary."""
    found = re.search(r"(\d+) generated, (?:(\d+) passed|.*)", output)
    assert found, output[-3000:]
    return int(found.group(1)), int(found.group(2) or 0)


def run_as(server: dict[str, Any], workdir: Path, identity: str) -> str:
    """One time-boxed schemathesis run; its output, after asserting it found nothing."""
    workdir.mkdir()
    if identity == "officer":
        token = f"Authorization: Bearer {server['token']}"
        args = ["--phases", "coverage,fuzzing,stateful", "--header", token]
        seconds, floor = SECONDS, 100
    else:  # what an outsider reaches: the owners' pages and a 401 everywhere else
        args = ["--phases", "fuzzing"]
        seconds, floor = max(15, SECONDS // 2), 30
    code, output = schemathesis(server, workdir, *args, seconds=seconds)
    generated, passed = verdict(output)
    print(f"schemathesis as {identity}: {generated} test cases, {passed} passed")
    assert code == 0 and generated == passed, output[-12000:]
    # not a vacuous run (a low floor: a loaded CI machine may manage only a few cases a second)
    assert generated >= floor, f"only {generated} test cases ran:\n{output[-3000:]}"
    return output


def test_no_5xx_and_no_schema_violation(demo_server, tmp_path):
    """Anonymously, then as the district's officer (whose writes change the demo as they go)."""
    run_as(demo_server, tmp_path / "anonymous", "anonymous")
    run_as(demo_server, tmp_path / "officer", "officer")  # coverage sends the undocumented methods
    log = demo_server["log"].read_text(errors="replace")
    assert "unhandled error" not in log and "Traceback" not in log, log[-6000:]
