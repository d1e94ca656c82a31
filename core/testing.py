"""A pytest plugin for wuye and for third-party plugin authors (entry point ``pytest11: wuye``).

Fixtures:

* ``db``: a started :class:`core.runtime.Runtime` on a migrated, emptied database, **parametrised over
  SQLite and PostgreSQL**: every test that asks for it runs on both. PostgreSQL is taken from
  ``WUYE_TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``), which names the
  *server*: each session (each pytest-xdist worker) creates a database of its own there and drops it at
  the end, so several runs can share one machine.
* ``client``: an ``AsyncTestClient`` on the app of that runtime.
* ``staff_factory``: creates accounts with roles; ``login(client, username)`` logs in via the form.

Extra plugins under test are named by the ini option ``wuye_plugins`` (module paths).
Under ``WUYE_REQUIRE_ALL=1`` a test that would skip for a missing service, browser or tool fails.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import io
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest

from core.settings import PROJECT_ROOT, Settings, load_settings

POSTGRES_URL = os.environ.get("WUYE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgres")
TEST_PASSWORD = "correct-horse-battery"


def office_today(timezone: str = "Asia/Shanghai") -> date:
    """Today as the offices count it (the profiles' timezone), which is what the application compares
    dates with: ``date.today()`` on a UTC machine is a day behind from 16:00 to 24:00 UTC."""
    return datetime.now(ZoneInfo(timezone)).date()


def earlier_today(ago: timedelta, timezone: str = "Asia/Shanghai") -> datetime:
    """A moment ``ago`` before now, in the offices' timezone, but not before the start of their day:
    a thing done "an hour ago" must not fall on the day before a document issued today."""
    zone = ZoneInfo(timezone)
    now = datetime.now(zone)
    return max(now - ago, datetime.combine(now.date(), time(), zone))


def require_all() -> bool:
    return os.environ.get("WUYE_REQUIRE_ALL") == "1"


def require(condition: bool, reason: str) -> None:
    """Skip the test when ``condition`` is false, or fail it under ``WUYE_REQUIRE_ALL=1``."""
    if condition:
        return
    if require_all():
        pytest.fail(f"required but unavailable (WUYE_REQUIRE_ALL=1): {reason}")
    pytest.skip(reason)


def require_tool(name: str, *candidates: str) -> str:
    """The path of an executable (any of ``name`` and ``candidates``), else skip/fail."""
    for candidate in (name, *candidates):
        path = shutil.which(candidate) or (
            candidate if os.path.isabs(candidate) and os.access(candidate, os.X_OK) else None
        )
        if path:
            return path
    require(False, f"tool {name!r} is not installed")
    raise AssertionError("unreachable")


def _in_thread(fn: Callable[[], Any]) -> Any:
    """Run a coroutine factory on a private event loop (fixtures run inside pytest's loop)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(fn())
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def postgres_reachable(url: str = POSTGRES_URL) -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    import asyncpg

    async def probe() -> None:
        conn = await asyncpg.connect(url, timeout=5)
        await conn.close()

    try:
        _in_thread(probe)
    except Exception as exc:
        return f"PostgreSQL at {url} is not reachable: {exc}"
    return None


# Every test run (every pytest-xdist worker) gets a database of its own on the server named by
# WUYE_TEST_POSTGRES_URL, so any number of runs can share one server: the name carries this host and
# the process id, and a later run drops the databases of runs from this host whose process is gone.
TEST_DATABASE_PREFIX = "wuye_test_"


def _host_tag() -> str:
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def postgres_database_url(server_url: str, name: str) -> str:
    """``server_url`` with its database replaced by ``name``."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_test_databases(names: list[str], host: str | None = None) -> list[str]:
    """Of ``names``, the test databases made on this host by a process that no longer runs."""
    host = host or _host_tag()
    stale = []
    for name in names:
        match = re.fullmatch(rf"{TEST_DATABASE_PREFIX}([0-9a-f]{{6}})_(\d+)_[0-9a-f]+", name)
        if match and match.group(1) == host and not _process_alive(int(match.group(2))):
            stale.append(name)
    return stale


def create_test_database(server_url: str = POSTGRES_URL) -> str:
    """Create an empty database for this process on the server and return its URL (the stale
    databases of earlier runs from this host are dropped first)."""
    import asyncpg

    name = f"{TEST_DATABASE_PREFIX}{_host_tag()}_{os.getpid()}_{secrets.token_hex(4)}"

    async def create() -> None:
        conn = await asyncpg.connect(server_url, timeout=10)
        try:
            rows = await conn.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{TEST_DATABASE_PREFIX}%"
            )
            for stale in stale_test_databases([row["datname"] for row in rows]):
                await conn.execute(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    try:
        _in_thread(create)
    except asyncpg.PostgresError as exc:
        raise RuntimeError(
            f"cannot create a test database on {server_url}: {exc}. WUYE_TEST_POSTGRES_URL must name a role "
            "that may CREATE DATABASE (each test run works in a database of its own)"
        ) from exc
    return postgres_database_url(server_url, name)


def drop_test_database(url: str, server_url: str = POSTGRES_URL) -> None:
    import asyncpg

    name = urlsplit(url).path.lstrip("/")
    assert name.startswith(TEST_DATABASE_PREFIX), name

    async def drop() -> None:
        conn = await asyncpg.connect(server_url, timeout=10)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    _in_thread(drop)


def wuye_env(database_url: str, plugins: list[str], **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WUYE_")}
    env.update(
        {
            "WUYE_DATABASE_URL": database_url,
            "WUYE_PLUGINS": ",".join(plugins),
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])
            ),
        }
    )
    env.update(extra)
    return env


def wuye_command(
    *args: str, env: dict[str, str], check: bool = True, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the ``wuye`` CLI in a subprocess (as an operator would)."""
    exe = Path(sys.executable).with_name("wuye")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "core"]
    result = subprocess.run(
        [*cmd, *args], env=env, capture_output=True, text=True, input=input, timeout=300, cwd=PROJECT_ROOT
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"wuye {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def pytest_configure(config: pytest.Config) -> None:
    # A plugin manager hands every installed plugin's message catalogue to core (the
    # ``register_messages`` hook), so an error raised in a test without an app reads in Chinese too.
    from core.plugins import create_plugin_manager

    create_plugin_manager(extra=list(config.getini("wuye_plugins")))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "wuye_plugins", "module paths of extra plugins loaded in tests", type="linelist", default=[]
    )


@pytest.fixture(scope="session")
def wuye_plugins(pytestconfig: pytest.Config) -> list[str]:
    return list(pytestconfig.getini("wuye_plugins"))


@pytest.fixture(scope="session")
def wuye_databases(
    tmp_path_factory: pytest.TempPathFactory, wuye_plugins: list[str]
) -> Iterator[dict[str, str | None]]:
    """Migrated test databases by backend (None where the backend is unavailable, with the reason
    kept in ``_reasons``): a SQLite file of this session's and a PostgreSQL database of its own,
    dropped at the end."""
    urls: dict[str, str | None] = {}
    sqlite_file = tmp_path_factory.mktemp("sqlite") / "test.sqlite3"
    urls["sqlite"] = f"sqlite:///{sqlite_file}"
    wuye_command("migrate", "-q", env=wuye_env(urls["sqlite"], wuye_plugins))
    reason = postgres_reachable()
    own: str | None = None
    if reason is None:
        own = create_test_database(POSTGRES_URL)
        wuye_command("migrate", "-q", env=wuye_env(own, wuye_plugins))
        urls["postgres"] = own
    else:
        urls["postgres"] = None
        _REASONS["postgres"] = reason
    try:
        yield urls
    finally:
        if own is not None:
            drop_test_database(own, POSTGRES_URL)


_REASONS: dict[str, str] = {}


def test_settings(database_url: str, plugins: list[str], var_dir: Path) -> Settings:
    base = load_settings({"WUYE_VAR_DIR": str(var_dir)})
    return replace(base, database_url=database_url, extra_plugins=tuple(plugins))


async def reset_tables(runtime: Any) -> None:
    """Empty every table (the audit log included: its append-only triggers are lifted for it)."""
    from piccolo.engine.postgres import PostgresEngine
    from piccolo.table import sort_table_classes

    from core.data.db import table_classes
    from core.districts import clear_caches

    clear_caches()
    classes = sort_table_classes(table_classes(runtime.app_modules))
    names = [t._meta.tablename for t in classes]
    engine = runtime.engine
    if isinstance(engine, PostgresEngine):
        import asyncpg

        conn = await asyncpg.connect(runtime.settings.database_url)
        try:
            await conn.execute(
                "ALTER TABLE core_audit_log DISABLE TRIGGER USER; "
                f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE; "
                "ALTER TABLE core_audit_log ENABLE TRIGGER USER;"
            )
        finally:
            await conn.close()
        return
    import sqlite3

    path = engine.path
    triggers = _sqlite_audit_triggers()
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("DROP TRIGGER IF EXISTS core_audit_log_no_update")
        conn.execute("DROP TRIGGER IF EXISTS core_audit_log_no_delete")
        for name in reversed(names):
            conn.execute(f"DELETE FROM {name}")
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'").fetchone():
            conn.execute("DELETE FROM sqlite_sequence")
        for statement in triggers:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _sqlite_audit_triggers() -> list[str]:
    folder = PROJECT_ROOT / "core" / "piccolo_migrations"
    for path in sorted(folder.glob("core_*.py")):
        text = path.read_text()
        if "core_audit_log_no_update" in text:
            spec = importlib.util.spec_from_file_location(f"_wuye_mig_{path.stem}", path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return list(module.SQLITE)
    raise RuntimeError("audit trigger migration not found")


@pytest.fixture(params=BACKENDS, ids=list(BACKENDS))
async def db(
    request: pytest.FixtureRequest,
    wuye_databases: dict[str, str | None],
    wuye_plugins: list[str],
    tmp_path: Path,
) -> AsyncIterator[Any]:
    """A started runtime on an empty, migrated database; runs once per backend."""
    from core.runtime import Runtime

    backend = request.param
    url = wuye_databases[backend]
    require(url is not None, _REASONS.get(backend, f"{backend} unavailable"))
    assert url is not None
    runtime = Runtime.build(test_settings(url, wuye_plugins, tmp_path))
    await runtime.start()
    await reset_tables(runtime)
    try:
        yield runtime
    finally:
        await runtime.stop()


@pytest.fixture
async def client(db: Any) -> AsyncIterator[Any]:
    """An HTTP client calling the app in-process, on the test's own event loop (Litestar's
    AsyncTestClient runs the app on another loop, which a PostgreSQL pool cannot cross)."""
    import httpx

    from core.plugins import await_me_maybe
    from core.web.app import create_app

    app = create_app(db)
    # Litestar's own lifespan runs an anyio task group that pytest-asyncio may tear down from another
    # task; the runtime is already started, so only the plugins' startup hooks are left to run.
    for result in db.pm.hook.startup(app=app):
        await await_me_maybe(result)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as test_client:
        yield test_client


class StaffFactory:
    """Creates staff accounts with one role each (password :data:`TEST_PASSWORD`)."""

    async def __call__(
        self,
        username: str,
        role: str | None = None,
        district: str | None = None,
        estate: str | None = None,
        scope: str = "",
    ) -> int:
        from core.data.tables import Staff
        from core.identity.staff import create_staff, grant_role, staff_id

        if not await Staff.exists().where(Staff.username == username):
            await create_staff("test", username, username.title(), TEST_PASSWORD)
        if role:
            await grant_role("test", username, role, district, estate, scope)
        return await staff_id(username)


@pytest.fixture
def staff_factory(db: Any) -> StaffFactory:
    return StaffFactory()


_CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


async def login(client: Any, username: str, password: str = TEST_PASSWORD) -> str:
    """Log in through the console form; returns the session's CSRF token."""
    page = await client.get("/login")
    token = _CSRF_RE.search(page.text)
    assert token, "login form has no CSRF token"
    response = await client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1), "next": "/console"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    console = await client.get("/console")
    found = _CSRF_RE.search(console.text)
    assert found, "console page has no CSRF token"
    return found.group(1)


def qr_codes_in_document(
    docx: bytes | Path, workdir: Path, *, first_page: int = 1, last_page: int = 1
) -> list[str]:
    """Every QR code on the given pages of a .docx, as a reader would see it printed: LibreOffice
    renders it to PDF, pdftoppm to PNG at 150 dpi, zbarimg decodes (each tool required)."""
    from core.documents.render import docx_to_pdf

    require_tool("soffice", "libreoffice")
    pdftoppm = require_tool("pdftoppm")
    require_tool("zbarimg")
    workdir.mkdir(parents=True, exist_ok=True)
    pdf = docx_to_pdf(docx, workdir / "pdf")
    prefix = workdir / "page"
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", "-f", str(first_page), "-l", str(last_page), str(pdf), str(prefix)],
        check=True,
    )
    found: list[str] = []
    for image in sorted(workdir.glob("page*.png")):
        found.extend(qr_codes_in_image(image))
    return found


def qr_codes_in_image(image: Path) -> list[str]:
    """Every QR code zbarimg finds in an image file (zbarimg required)."""
    zbarimg = require_tool("zbarimg")
    result = subprocess.run([zbarimg, "--quiet", "--raw", str(image)], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line.strip()]


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """An XLSX workbook (as Excel would save it) whose first sheet holds ``rows``."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
