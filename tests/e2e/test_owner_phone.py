"""The owner's pages on a 375 px phone, in every state an owner meets — before voting opens, open, the
steps of a vote, the receipt, the sheet already used, revoked, voting closed — and the public check
of a receipt: each says where the owner stands before anything is filled in, axe-core finds no
violation, the page follows the phone's largest font without spilling sideways, and a screen reader
hears the state and each motion's title with its choices."""

from __future__ import annotations

import base64
import json
import re

from core.testing import qr_codes_in_image, wuye_command
from plugins.voting.protocol.ballot import receipt_link
from tests.e2e.a11y import assert_accessible, assert_fits_phone
from tests.e2e.conftest import server_env
from tests.e2e.owner import PHONE, agree_to_everything, close_voting, demo_meeting, sheet_codes, sheet_url

#: a moment in words, as the district's people read it: 2026年12月17日 17:00
IN_WORDS = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}")


def demo_meeting_id(tmp_path) -> str:
    demo = (tmp_path / "demo.txt").read_text(encoding="utf-8")
    return re.search(r"表决会议 (\S+)（已发布", demo).group(1)  # type: ignore[union-attr]


async def focused_in(page, selector: str) -> bool:
    """Whether the keyboard and screen reader focus is inside ``selector`` (moved to the new step)."""
    return await page.evaluate(
        "(s) => { const f = document.activeElement; return !!f && !!f.closest(s); }", selector
    )


async def open_sheet(page, url: str) -> str:
    """Open a sheet's link as a fresh page (a fragment alone would not reload it); its serial."""
    await page.goto("about:blank")
    await page.goto(url)
    await page.wait_for_selector("#voter:not([hidden])")
    return re.search(r"表决票编号 (\S+)", await page.inner_text("#voter")).group(1)  # type: ignore[union-attr]


async def assert_says(page, fragment: str) -> str:
    """The state region (a polite live region, so a screen reader announces it) says ``fragment``."""
    await page.wait_for_function(
        "(t) => document.getElementById('state').textContent.includes(t)", arg=fragment
    )
    region = page.locator("#state")
    assert await region.get_attribute("role") == "status" or await region.get_attribute("aria-live")
    return await region.inner_text()


async def test_each_step_of_a_vote_on_a_phone(live_server, browser, tmp_path, wuye_plugins):
    meeting = demo_meeting_id(tmp_path)
    url = sheet_url(live_server, meeting, sheet_codes(tmp_path)[0])
    context = await browser.new_context(**PHONE)
    page = await context.new_page()

    # before voting opens: said at once, with the date in words; the code entry is the only control
    await page.goto(f"{live_server}/v/{meeting}")
    assert await page.get_attribute("html", "lang") == "zh-CN"
    assert "表决尚未开始" in await assert_says(page, "表决尚未开始")
    await assert_accessible(page, "not_open, no sheet")
    await assert_fits_phone(page, "not_open, no sheet")
    await open_sheet(page, url)
    assert await page.is_hidden("#step-vote")
    await assert_accessible(page, "not_open, sheet")
    await assert_fits_phone(page, "not_open, sheet")

    # open: one group per motion, named by its title; each choice a labelled radio inside it
    demo_meeting(tmp_path, wuye_plugins)
    await open_sheet(page, url)
    await page.wait_for_selector("#step-vote:not([hidden])")
    assert await focused_in(page, "#step-vote")
    info = json.loads(await page.inner_text("#meeting-info"))
    for motion in info["motions"]:
        group = page.get_by_role("group", name=f"{motion['position']}. {motion['title']}")
        assert await group.count() == 1, motion["title"]
        if motion["kind"] != "election":
            for choice in ("同意", "反对", "弃权"):
                assert await group.get_by_role("radio", name=choice, exact=True).count() == 1
        else:
            assert await group.get_by_role("checkbox").count() == len(motion["candidates"])
    await assert_accessible(page, "open, the ballot")
    await assert_fits_phone(page, "open, the ballot")

    # an error is said aloud (an assertive live region) and the ballot is not lost
    await page.click("#review")
    message = page.locator("#message")
    await message.wait_for()
    assert "尚未选择" in await message.inner_text()
    assert await message.get_attribute("role") == "alert"
    await assert_accessible(page, "open, an error")

    await agree_to_everything(page)
    await page.click("#review")
    await page.wait_for_selector("#step-confirm:not([hidden])")
    assert await focused_in(page, "#step-confirm")
    await assert_accessible(page, "confirm")
    await assert_fits_phone(page, "confirm")

    await page.click("#submit")
    await page.wait_for_selector("#step-receipt:not([hidden])")
    await page.wait_for_selector("#receipt-image:not([hidden])")
    assert await focused_in(page, "#step-receipt")
    await assert_accessible(page, "receipt")
    await assert_fits_phone(page, "receipt")
    await page.screenshot(path=str(tmp_path / "receipt-375.png"), full_page=True)
    # the long-press image holds every line (long motion titles wrap) and the whole QR code under them
    image = await page.get_attribute("#receipt-image", "src")
    (tmp_path / "receipt-image.png").write_bytes(base64.b64decode(image.partition(",")[2]))
    assert [c.split("#")[0] for c in qr_codes_in_image(tmp_path / "receipt-image.png")] == [
        f"{live_server}/verify/{meeting}"
    ]

    # the receipt checked before the seal: genuine, and the count still to come, in plain words
    saved = json.loads(await page.text_content("#receipt-text"))
    check = await context.new_page()
    await check.goto(receipt_link(live_server, meeting, saved["receipt"], saved["signature"]))
    await check.wait_for_selector("#result.ok")  # no alarm: the receipt is genuine
    assert "计票尚未完成" in await check.inner_text("#verdict")
    assert "回执签名有效" in await check.inner_text("#result")
    await assert_accessible(check, "verify, before the seal")
    await assert_fits_phone(check, "verify, before the seal")

    # the sheet again: used, and when; the receipt comes back
    again = await context.new_page()
    await again.goto(url)
    said = await assert_says(again, "不能再次投票")
    assert IN_WORDS.search(said), said
    assert await again.is_hidden("#step-vote")
    await assert_accessible(again, "used")
    await assert_fits_phone(again, "used")
    await again.click("#show-receipt")
    await again.wait_for_selector("#step-receipt:not([hidden])")
    assert await focused_in(again, "#step-receipt")
    await assert_accessible(again, "receipt shown again")
    await context.close()


async def test_a_revoked_sheet_says_so_and_what_to_do(live_server, browser, tmp_path, wuye_plugins):
    meeting = demo_meeting(tmp_path, wuye_plugins)
    officer = server_env(tmp_path, wuye_plugins)
    url = sheet_url(live_server, meeting, sheet_codes(tmp_path)[1])
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    serial = await open_sheet(page, url)

    # the officer revokes the sheet (lost, says the owner's neighbour); the owner opens it again
    revoke = ["--serial", serial, "--reason", "业主报告遗失"]
    wuye_command("voting", "ballots", "revoke", "-m", meeting, *revoke, env=officer)
    await open_sheet(page, url)
    said = await assert_says(page, "已作废")
    assert "不能用它投票" in said and "业主委员会" in said, said
    assert await page.is_hidden("#step-vote") and await page.locator("fieldset").count() == 0
    await assert_accessible(page, "revoked")
    await assert_fits_phone(page, "revoked")

    # another sheet reissued (its owner's was damaged): the old one says a new one is on its way
    other = sheet_url(live_server, meeting, sheet_codes(tmp_path)[2])
    serial = await open_sheet(page, other)
    reprint = ["--serial", serial, "--out", str(tmp_path / "new.docx")]
    wuye_command("voting", "ballots", "print", "-m", meeting, *reprint, env=officer)
    await open_sheet(page, other)
    said = await assert_says(page, "补发")
    assert "已作废" in said and "新的表决票" in said, said
    assert await page.locator("fieldset").count() == 0
    await assert_accessible(page, "reissued")
    await context.close()


async def test_after_the_close_the_page_says_so_and_the_receipt_checks_on_a_phone(
    live_server, browser, tmp_path, wuye_plugins
):
    meeting = demo_meeting(tmp_path, wuye_plugins)
    codes = sheet_codes(tmp_path)
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    await page.goto(sheet_url(live_server, meeting, codes[0]))
    await page.wait_for_selector("#step-vote:not([hidden])")
    await agree_to_everything(page)
    await page.click("#review")
    await page.click("#submit")
    await page.wait_for_selector("#step-receipt:not([hidden])")
    saved = json.loads(await page.text_content("#receipt-text"))

    # the deadline passes and the officer seals: an unused sheet is told at once, the time in words
    close_voting(tmp_path, wuye_plugins, meeting)
    closed = await context.new_page()
    await closed.goto(f"{live_server}/v/{meeting}")
    assert "截止" in await assert_says(closed, "截止")
    await open_sheet(closed, sheet_url(live_server, meeting, codes[2]))
    said = await assert_says(closed, "未曾投票")
    assert "本次表决已于" in said and IN_WORDS.search(said) and "+00:00" not in said, said
    assert await closed.is_hidden("#step-vote") and await closed.locator("fieldset").count() == 0
    # sealed: the household's number in the published (pseudonymous) record, to look itself up by
    assert re.search(r"公开表决记录中本户的编号：第 \d+ 号", await closed.inner_text("#voter"))
    await assert_accessible(closed, "closed")
    await assert_fits_phone(closed, "closed")

    # the receipt's QR link opens the public page on the phone: plain words, the proof folded away
    check = await context.new_page()
    await check.goto(receipt_link(live_server, meeting, saved["receipt"], saved["signature"]))
    await check.wait_for_selector("#result.ok")
    assert "您的表决票已计入封存记录" in await check.inner_text("#verdict")
    assert await focused_in(check, "#result")
    fold = check.locator("details#proof")
    assert "技术细节" in await fold.locator("summary").inner_text()
    assert await fold.get_attribute("open") is None
    shown = await check.inner_text("main")
    assert "叶哈希" not in shown and "默克尔根" not in shown
    assert "叶哈希" in await fold.text_content() and "默克尔根" in await fold.text_content()
    assert await check.evaluate("document.documentElement.scrollWidth") <= 375
    await assert_accessible(check, "verify, receipt checked")
    await assert_fits_phone(check, "verify, receipt checked")
    await fold.locator("summary").click()
    assert await check.evaluate("document.documentElement.scrollWidth") <= 375  # the hex wraps
    await assert_fits_phone(check, "verify, proof open")
    await assert_accessible(check, "verify, proof open")
    await check.screenshot(path=str(tmp_path / "verify-375.png"), full_page=True)

    # a receipt altered after the fact: the failure in plain words
    forged = dict(saved, signature="00" * 64)
    await check.goto(f"{live_server}/verify/{meeting}")
    await check.fill("#receipt", json.dumps(forged))
    await check.click("#check")
    await check.wait_for_selector("#result.error")
    assert "回执无效" in await check.inner_text("#verdict")
    await assert_accessible(check, "verify, receipt refused")
    await context.close()
