"""The staff console in a real browser: log in, switch a duty off, its menu entry and routes vanish."""

from __future__ import annotations

from core.cli.demo import DEMO_ACCOUNTS


async def test_officer_switches_a_duty_off_and_its_menu_and_routes_disappear(live_server, browser, tmp_path):
    username, _, password, _ = next(a for a in DEMO_ACCOUNTS if a[3] == "district_officer")
    page = await browser.new_page()
    await page.goto(f"{live_server}/d/demo")
    assert "/login" in page.url  # not logged in: sent to the login page

    await page.fill("#username", username)
    await page.fill("#password", password)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/d/demo")
    menu = page.locator("nav.menu a[data-plugin=toy_duty]")
    assert await menu.count() == 1
    await menu.click()
    await page.wait_for_selector("h1#toy")
    assert "玩具模块" in await page.inner_text("h1#toy")

    await page.goto(f"{live_server}/d/demo/plugins")
    row = page.locator("tr[data-plugin=toy_duty]")
    assert "已启用" in await row.inner_text()
    await row.locator("button").click()
    # switching a duty off asks first, saying what goes away; 取消 leaves it on
    await page.wait_for_selector("#confirm[data-code=plugin_off]")
    assert "已有数据保留" in await page.inner_text("#confirm")
    assert "已启用" in await page.locator("tr[data-plugin=toy_duty]").inner_text()
    await page.click("#confirm-yes")
    await page.wait_for_load_state()
    assert "未启用" in await page.locator("tr[data-plugin=toy_duty]").inner_text()
    await page.screenshot(path=str(tmp_path / "plugins.png"), full_page=True)

    await page.goto(f"{live_server}/d/demo")
    assert await page.locator("nav.menu a[data-plugin=toy_duty]").count() == 0
    assert "玩具模块" not in await page.content()

    response = await page.goto(f"{live_server}/d/demo/toy_duty/")
    assert response is not None and response.status == 404
    assert "未找到" in await page.content()

    # and back on: the duty returns
    await page.goto(f"{live_server}/d/demo/plugins")
    await page.locator("tr[data-plugin=toy_duty] button").click()
    await page.wait_for_load_state()
    response = await page.goto(f"{live_server}/d/demo/toy_duty/")
    assert response is not None and response.status == 200


async def test_bad_password_shows_a_chinese_error(live_server, browser):
    page = await browser.new_page()
    await page.goto(f"{live_server}/login")
    await page.fill("#username", "officer")
    await page.fill("#password", "not-the-password")
    await page.click("button[type=submit]")
    await page.wait_for_selector("p.error")
    assert "用户名或密码不正确" in await page.inner_text("p.error")
