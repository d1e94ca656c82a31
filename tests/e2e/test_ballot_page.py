"""An owner scans the printed sheet, votes on a phone-sized page in Chromium, and keeps a receipt
that verifies against the meeting key."""

from __future__ import annotations

import json
import re

from core.signing import verify
from plugins.voting.protocol.ballot import receipt_message
from tests.e2e.owner import agree_to_everything, demo_meeting, first_sheet_url, sheet_codes


async def test_owner_votes_from_the_printed_sheet_and_the_receipt_verifies(
    live_server, browser, tmp_path, wuye_plugins
):
    meeting = demo_meeting(tmp_path, wuye_plugins)
    url = first_sheet_url(tmp_path)
    assert url.startswith(f"{live_server}/v/{meeting}#k=")

    context = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = await context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url + " " + (request.post_data or "")))
    response = await page.goto(url)
    assert response is not None and len(await response.body()) <= 50 * 1024  # page weight
    await page.wait_for_selector("#step-vote:not([hidden])")
    assert "表决票编号 0001-" in await page.inner_text("#voter")

    info = json.loads(await page.inner_text("#meeting-info"))
    for motion in info["motions"]:
        box = page.locator(f"fieldset[data-position='{motion['position']}']")
        if motion["kind"] == "election":
            chosen = motion["candidates"][: motion["seats"]]
            for candidate in chosen:
                await box.locator(f"input[value='{candidate['id']}']").check()
            extra = motion["candidates"][motion["seats"]]  # one too many: the page refuses it
            await box.locator(f"input[value='{extra['id']}']").click()
            assert await box.locator("input:checked").count() == motion["seats"]
        else:
            await box.locator("input[value='agree']").check()
    early = await context.new_page()  # the same sheet in a second tab, opened before the vote
    await early.goto(url)
    await early.wait_for_selector("#step-vote:not([hidden])")
    await page.click("#review")
    await page.wait_for_selector("#step-confirm:not([hidden])")
    assert "同意" in await page.inner_text("#summary")
    await page.click("#submit")
    await page.wait_for_selector("#step-receipt:not([hidden])")
    await page.screenshot(path=str(tmp_path / "receipt.png"), full_page=True)

    body = json.loads(await page.text_content("#receipt-text"))
    receipt = body["receipt"]
    assert verify(
        bytes.fromhex(info["meeting_key"]),
        bytes.fromhex(body["signature"]),
        receipt_message(meeting, receipt),
    )
    secret = url.split("#k=")[1]
    assert not any(secret in r for r in requests)  # the credential never left the phone

    # the sheet reopened: the page says it was used, and when, before anything is filled in; the
    # receipt comes back byte for byte
    again = await context.new_page()
    await again.goto(url)
    await again.wait_for_selector("#state:not([hidden])")
    assert "已于" in await again.inner_text("#state") and "不能再次投票" in await again.inner_text("#state")
    assert await again.is_hidden("#step-vote")
    await again.click("#show-receipt")
    await again.wait_for_selector("#step-receipt:not([hidden])")
    assert json.loads(await again.text_content("#receipt-text")) == body
    assert "这是您这张表决票的回执" in await again.inner_text("#receipt-title")
    assert "同意" in await again.inner_text("#receipt-words")

    # a second tab opened before the vote: its submit is refused, saying when the first was received
    await early.locator("#review").wait_for()
    for motion in info["motions"]:
        if motion["kind"] != "election":
            await early.locator(
                f"fieldset[data-position='{motion['position']}'] input[value='oppose']"
            ).check()
    await early.click("#review")
    await early.click("#submit")
    await early.wait_for_selector("#message.error:not([hidden])")
    assert "已于" in await early.inner_text("#message")
    await context.close()


async def test_a_typed_code_works_and_the_page_says_voting_is_not_open(live_server, browser, tmp_path):
    demo = (tmp_path / "demo.txt").read_text(encoding="utf-8")
    meeting = re.search(r"表决会议 (\S+)（已发布", demo).group(1)
    code = sheet_codes(tmp_path)[0]
    page = await browser.new_page()
    await page.goto(f"{live_server}/v/{meeting}")
    await page.wait_for_selector("#step-key:not([hidden])")
    await page.fill("#code", code.lower().replace("-", " "))
    await page.click("#use-code")
    # the demo's meeting is published, not yet open: the page says so, and when, before any form
    await page.wait_for_selector("#voter:not([hidden])")
    assert "表决票编号 0001-" in await page.inner_text("#voter")
    assert "表决尚未开始" in await page.inner_text("#state") and "年" in await page.inner_text("#state")
    assert await page.is_hidden("#step-vote")


async def test_a_phone_whose_clock_is_hours_off_still_votes(live_server, browser, tmp_path, wuye_plugins):
    """Many phones keep the wrong time; the sheet's proof is dated by the server's clock."""
    meeting = demo_meeting(tmp_path, wuye_plugins)
    url = first_sheet_url(tmp_path)
    context = await browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True)
    await context.add_init_script(
        "(() => { const now = Date.now; Date.now = () => now() - 3 * 3600 * 1000; })();"
    )
    page = await context.new_page()
    await page.goto(url)
    await page.wait_for_selector("#step-vote:not([hidden])")
    await agree_to_everything(page)
    await page.click("#review")
    await page.click("#submit")
    await page.wait_for_selector("#step-receipt:not([hidden])")
    assert json.loads(await page.text_content("#receipt-text"))["receipt"]["meeting"] == meeting
    await context.close()
