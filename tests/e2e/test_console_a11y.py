"""The staff console as its users meet it: axe-core finds nothing on the pages of every duty (the
morning board, 账号管理, the lists, a meeting, an entrustment, a household, a case), and on a 375 px
phone no page is wider than the screen (a wide table scrolls inside itself)."""

from __future__ import annotations

import re

from core.cli.demo import DEMO_ACCOUNTS
from tests.e2e.a11y import assert_accessible

PASSWORDS = {a[0]: a[2] for a in DEMO_ACCOUNTS}


async def logged_in(browser, live_server: str, username: str, width: int):
    page = await browser.new_page(viewport={"width": width, "height": 900})
    await page.goto(f"{live_server}/login")
    await page.fill("#username", username)
    await page.fill("#password", PASSWORDS[username])
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/console")
    return page


async def console_pages(page, live_server: str) -> list[str]:
    """The district's pages and the first object of each list."""
    paths = ["/console", "/d/demo", "/d/demo/voting/", "/d/demo/housing_check/", "/d/demo/group_rental/"]
    found = []
    for path in paths[2:]:
        await page.goto(f"{live_server}{path}")
        html = await page.content()
        found += re.findall(r'href="(/d/demo/[a-z_]+/(?:meetings|entrustments|cases)/[^"/]+/console)"', html)[
            :2
        ]
    await page.goto(f"{live_server}{found[-1]}")
    return [*paths, *dict.fromkeys(found)]


async def test_the_console_pages_have_no_accessibility_problems(live_server, browser):
    page = await logged_in(browser, live_server, "officer", 1280)
    paths = await console_pages(page, live_server)
    entrustment = next(p for p in paths if "/entrustments/" in p)
    await page.goto(f"{live_server}{entrustment}")
    household = re.search(r'href="([^"]+/households/[^"/]+/console)"', await page.content())
    assert household
    for path in [
        *paths,
        household.group(1),
        "/d/demo/plugins",
        "/d/demo/voting/estates/DEMO-001/meetings/new",
    ]:
        await page.goto(f"{live_server}{path}")
        await assert_accessible(page, path)
    admin = await logged_in(browser, live_server, "manager", 1280)
    await admin.goto(f"{live_server}/d/demo/staff/")
    await assert_accessible(admin, "/d/demo/staff/")


async def test_no_console_page_is_wider_than_a_phone(live_server, browser):
    page = await logged_in(browser, live_server, "officer", 375)
    wide = {}
    for path in [*await console_pages(page, live_server), "/d/demo/plugins"]:
        await page.goto(f"{live_server}{path}")
        width = await page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide[path] = width
    admin = await logged_in(browser, live_server, "manager", 375)
    await admin.goto(f"{live_server}/d/demo/staff/")
    if (width := await admin.evaluate("document.documentElement.scrollWidth")) > 375:
        wide["/d/demo/staff/"] = width
    assert not wide, wide
