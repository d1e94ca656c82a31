"""A real server (``wuye run``) on a fresh SQLite database with the demo district, and a real
headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.testing import require, require_tool, wuye_command, wuye_env

CHROMIUM = os.environ.get("WUYE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(tmp_path: Path, wuye_plugins: list[str]) -> dict[str, str]:
    """The environment of a test's live server (its database and var folder under ``tmp_path``): a
    test runs ``wuye`` commands against the server's database with it."""
    return wuye_env(f"sqlite:///{tmp_path}/e2e.sqlite3", wuye_plugins, WUYE_VAR_DIR=str(tmp_path))


@pytest.fixture
def live_server(tmp_path: Path, wuye_plugins: list[str]) -> Iterator[str]:
    port = free_port()
    env = server_env(tmp_path, wuye_plugins)
    env["WUYE_BASE_URL"] = f"http://127.0.0.1:{port}"
    wuye_command("migrate", "-q", env=env)
    (tmp_path / "demo.txt").write_text(wuye_command("demo", env=env).stdout, encoding="utf-8")
    exe = Path(sys.executable).with_name("wuye")
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen([str(exe), "run", "--port", str(port)], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "server.log").read_text()) from None
                time.sleep(0.2)
        yield base
    except BaseException:
        print((tmp_path / "server.log").read_text(errors="replace")[-4000:])
        raise
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


class WatchedBrowser:
    """The Playwright browser, with every page it opens watched for Content-Security-Policy
    violations: a script the policy blocks fails the test even if the flow seemed to pass."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def _watch(self, target: Any) -> Any:
        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                self.violations.append(message.text)

        target.on("console", on_console)
        return target

    async def new_context(self, *args: Any, **kwargs: Any) -> Any:
        context = await self._browser.new_context(*args, **kwargs)
        context.on("page", self._watch)
        return context

    async def new_page(self, *args: Any, **kwargs: Any) -> Any:
        return self._watch(await self._browser.new_page(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    require_tool(CHROMIUM)
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        require(False, "playwright is not installed")
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        watched = WatchedBrowser(instance)
        try:
            yield watched
        finally:
            await instance.close()
        assert watched.violations == [], watched.violations


async def signed_in(browser: Any, base: str, username: str, password: str) -> Any:
    """A page in a fresh browser context (its own cookies, downloads allowed) logged in through the
    console's login form as ``username``."""
    context = await browser.new_context(accept_downloads=True)
    page = await context.new_page()
    await page.goto(f"{base}/login")
    await page.fill("#username", username)
    await page.fill("#password", password)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{base}/console")
    return page
