"""An officer sees the overdue case and opens a new case in the console, in a real headless Chromium."""

from __future__ import annotations

from core.demo import DEMO_ACCOUNTS
from tests.e2e.conftest import browser, live_server  # noqa: F401  (fixtures)


async def test_console_lists_overdue_cases_and_opens_a_case(live_server, browser):  # noqa: F811
    username, _, password, _ = next(a for a in DEMO_ACCOUNTS if a[3] == "district_officer")
    page = await browser.new_page()
    await page.goto(f"{live_server}/login")
    await page.fill("#username", username)
    await page.fill("#password", password)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/console")

    await page.goto(f"{live_server}/d/demo/group_rental/")
    assert await page.locator("#overdue tbody tr").count() == 1
    assert await page.locator("#cases tbody tr").count() == 2
    await page.fill("#address", "示范花园9号楼901室")
    await page.fill("#party", "李某")
    await page.click("#new-case button[type=submit]")
    await page.wait_for_url("**/group_rental/cases/*/console")
    assert "示范花园9号楼901室" in await page.content()
    assert await page.locator("#status").inner_text() == "待检查"

    overdue_case = await page.goto(f"{live_server}/d/demo/group_rental/")
    assert overdue_case is not None
    await page.click("#overdue tbody tr a")
    await page.wait_for_url("**/console")
    text = await page.content()
    assert "直接签收送达" in text and "属于“群租”" in text and "第3项" in text
