"""A committee's preliminary result in a real browser (#18 point 2): the officer publishes the
preliminary notice of the demo's sealed meeting, records an owner's objection in the console and
answers it; the page holds the final announcement until the period is over."""

from __future__ import annotations

import re
import sqlite3

from core.cli.demo import DEMO_ACCOUNTS
from tests.e2e.office import preliminary_with_objection


async def test_an_objection_is_recorded_and_answered_in_the_console(live_server, browser, tmp_path):
    demo = (tmp_path / "demo.txt").read_text(encoding="utf-8")
    meeting = re.search(r"/verify/([A-Za-z0-9_-]+)", demo).group(1)
    with sqlite3.connect(tmp_path / "e2e.sqlite3") as conn:  # the demo announced its result: not yet, here
        conn.execute("UPDATE voting_seal SET announced_at = NULL")
    username, _, password, _ = next(a for a in DEMO_ACCOUNTS if a[3] == "district_officer")
    page = await browser.new_page(accept_downloads=True, viewport={"width": 390, "height": 844})
    await page.goto(f"{live_server}/login")
    await page.fill("#username", username)
    await page.fill("#password", password)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/console")
    console = f"{live_server}/d/demo/voting/meetings/{meeting}/console"
    await page.goto(console)
    await preliminary_with_objection(
        page, console, objection="我的纸质表决票未计入", answer="经核对，已计入。"
    )
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
