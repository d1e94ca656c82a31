"""An officer creates, publishes and prints a meeting in the console, in a real browser."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

from docx import Document

from core.cli.demo import DEMO_ACCOUNTS
from core.testing import office_today

#: Screenshots a person looks at (the confirmation panel on a phone-sized screen).
SCREENSHOTS = Path(os.environ.get("WUYE_SCREENSHOTS", "/tmp/wuye-screenshots"))
SCREENSHOTS.mkdir(parents=True, exist_ok=True)


async def test_officer_creates_publishes_and_prints_a_meeting(live_server, browser, tmp_path):
    username, _, password, _ = next(a for a in DEMO_ACCOUNTS if a[3] == "district_officer")
    page = await browser.new_page(accept_downloads=True)
    await page.goto(f"{live_server}/login")
    await page.fill("#username", username)
    await page.fill("#password", password)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{live_server}/console")

    await page.goto(f"{live_server}/d/demo/voting/")
    await page.click("tr[data-estate=DEMO-001] >> text=新建表决会议")
    await page.wait_for_selector("#meeting-form")
    today = office_today()
    await page.fill("#title", "示范花园临时业主大会会议")
    await page.select_option("#kind", "special")
    for field, days in (
        ("notice_date", 0),
        ("delivery_deadline", 10),
        ("meeting_date", 20),
        ("count_date", 35),
    ):
        await page.fill(f"#{field}", (today + timedelta(days=days)).isoformat())
    await page.fill("#voting_closes", (today + timedelta(days=34)).isoformat() + "T17:00")
    await page.fill("[name=m_title]", "增设非机动车停车棚")
    await page.select_option("[name=m_matter]", "change_common_use")
    await page.fill("#scrutineers", "周监票")
    await page.fill("#counters", "吴计票")

    # first an illegal timetable: the page lists the problem and nothing is saved
    await page.fill("#delivery_deadline", (today + timedelta(days=15)).isoformat())
    await page.click("#meeting-form button[type=submit]")
    await page.wait_for_selector("#result.error")
    assert "送达" in await page.inner_text("#result")
    # named as the form names it, and shown beside its field (not only below the button)
    assert "timetable." not in await page.inner_text("#result")
    assert "表决票送达期限：" in await page.inner_text("#result")
    beside = await page.wait_for_selector("#delivery_deadline + .field-error")
    assert "送达" in await beside.inner_text()
    await page.fill("#delivery_deadline", (today + timedelta(days=10)).isoformat())
    # a clerk who clicks twice: one meeting, not two
    await page.dblclick("#meeting-form button[type=submit]")
    await page.wait_for_url("**/console")
    assert "草稿" in await page.inner_text("main")
    listing = await page.request.get(f"{live_server}/d/demo/voting/")
    assert (await listing.text()).count("示范花园临时业主大会会议") == 1

    # publishing asks first (what it freezes), then acts once however often the clerk clicks
    await page.dblclick("#publish")
    await page.wait_for_selector("#confirm[data-code=voting_publish]")
    assert "草稿" in await page.inner_text("main")  # not yet published
    await page.dblclick("#confirm-yes")
    await page.wait_for_selector("#print-all")
    assert "已发布" in await page.inner_text("main")
    async with page.expect_download() as download_info:
        await page.click("#print-all")
    download = await download_info.value
    path = tmp_path / "sheets.docx"
    await download.save_as(str(path))
    sheets = Document(io.BytesIO(path.read_bytes()))
    assert len(sheets.inline_shapes) == 116
    await page.reload()
    assert "已印制 116 / 116" in await page.inner_text("main")

    # 全部重印: the panel says what it voids before anything changes; a wrong count is refused
    await page.click("#print-all")
    await page.wait_for_selector("#confirm[data-code=voting_reprint_all]")
    summary = await page.inner_text("#confirm")
    assert "将作废 116 张原表决票并重新生成 116 张" in summary and "不可撤销" in summary
    assert await reprints(page, live_server) == 0  # nothing voided yet
    await page.set_viewport_size({"width": 375, "height": 812})
    await page.screenshot(path=str(SCREENSHOTS / "confirm-reprint-375.png"), full_page=False)
    await page.fill("#confirm-text", "100")
    await page.click("#confirm-yes")
    await page.wait_for_selector("#confirm-error")
    assert "请输入“116”" in await page.inner_text("#confirm-error")
    await page.fill("#confirm-text", "116")
    async with page.expect_download() as download_info:
        await page.click("#confirm-yes")
    reprinted = await download_info.value
    again = tmp_path / "again.docx"
    await reprinted.save_as(str(again))
    assert len(Document(io.BytesIO(again.read_bytes())).inline_shapes) == 116
    assert await reprints(page, live_server) == 1


async def reprints(page, live_server: str) -> int:
    """How many full reprints the district's audit log holds."""
    entries = await (await page.request.get(f"{live_server}/api/d/demo/audit?limit=500")).json()
    return sum(1 for e in entries if e["action"] == "voting.ballots_reprint")
