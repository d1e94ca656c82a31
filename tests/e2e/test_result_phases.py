"""A committee's preliminary result in a real browser (#18 point 2): the officer publishes the
preliminary notice of the demo's sealed meeting, records an owner's objection in the console and
answers it; the page holds the final announcement until the period is over."""

from __future__ import annotations

import re
import sqlite3

from core.cli.demo import DEMO_ACCOUNTS
from core.testing import office_today


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
    async with page.expect_download() as download:
        await page.click("#preliminary")
    assert (await download.value).suggested_filename.startswith("表决初步统计结果公示")
    await page.goto(console)
    await page.wait_for_selector("#objection-form")
    assert await page.is_visible("#announce-wait")
    await page.fill("#objection-received", office_today().isoformat())
    await page.fill("#objection-by", "王五")
    await page.fill("#objection-unit", "2-101")
    await page.fill("#objection-content", "我的纸质表决票未计入")
    await page.click("#objection-form button[type=submit]")
    await page.wait_for_selector(".answer-form[data-number='1']")
    assert "我的纸质表决票未计入" in await page.inner_text("#objections")
    await page.fill("#answer-1", "经核对，已计入。")
    await page.click(".answer-form[data-number='1'] button[type=submit]")
    await page.wait_for_selector(".answer-form", state="detached")
    assert "经核对，已计入。" in await page.inner_text("#objections")
    assert await page.is_visible("#announce-wait")  # the period is still running
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
