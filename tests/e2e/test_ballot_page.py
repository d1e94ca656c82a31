"""An owner scans the printed sheet, votes on a phone-sized page in Chromium, and keeps a receipt
that verifies against the meeting key."""

from __future__ import annotations

import json
import re

from core.signing import verify
from plugins.voting.protocol.ballot import receipt_message
from tests.e2e.owner import demo_meeting, first_sheet_url


async def test_owner_votes_from_the_printed_sheet_and_the_receipt_verifies(live_server, browser, tmp_path):
    meeting = demo_meeting(tmp_path)
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
    await page.click("#review")
    await page.wait_for_selector("#step-confirm:not([hidden])")
    assert "同意" in await page.inner_text("#summary")
    await page.click("#submit")
    await page.wait_for_selector("#step-receipt:not([hidden])")
    await page.screenshot(path=str(tmp_path / "receipt.png"), full_page=True)

    body = json.loads(await page.inner_text("#receipt-text"))
    receipt = body["receipt"]
    assert verify(
        bytes.fromhex(info["meeting_key"]),
        bytes.fromhex(body["signature"]),
        receipt_message(meeting, receipt),
    )
    secret = url.split("#k=")[1]
    assert not any(secret in r for r in requests)  # the credential never left the phone

    # the same sheet cannot vote twice; the page says when the first vote was received
    again = await context.new_page()
    await again.goto(url)
    await again.wait_for_selector("#step-vote:not([hidden])")
    for motion in info["motions"]:
        if motion["kind"] != "election":
            await again.locator(
                f"fieldset[data-position='{motion['position']}'] input[value='oppose']"
            ).check()
    await again.click("#review")
    await again.click("#submit")
    await again.wait_for_selector("#message.error:not([hidden])")
    assert "已于" in await again.inner_text("#message")
    await context.close()


async def test_typed_code_works_without_a_camera(live_server, browser, tmp_path):
    from io import BytesIO

    from docx import Document

    demo = (tmp_path / "demo.txt").read_text(encoding="utf-8")
    meeting = re.search(r"表决会议 (\S+)（已发布", demo).group(1)
    sheets = Document(BytesIO((tmp_path / "demo" / "ballots.docx").read_bytes()))
    code = next(
        p.text.strip()
        for p in sheets.paragraphs
        if re.fullmatch(r"\s*([A-Z2-7]{4}-){12}[A-Z2-7]{4}\s*", p.text)
    )
    page = await browser.new_page()
    await page.goto(f"{live_server}/v/{meeting}")
    await page.wait_for_selector("#step-key:not([hidden])")
    await page.fill("#code", code.lower().replace("-", " "))
    await page.click("#use-code")
    await page.wait_for_selector("#step-vote:not([hidden])")
    assert "表决票编号 0001-" in await page.inner_text("#voter")
