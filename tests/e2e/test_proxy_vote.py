"""A proxy's vote (委托投票, #18 point 1), end to end in a real browser: the officer records the signed
authorisation in the meeting console (motions ticked, the owner's instruction, the scan uploaded) and
downloads the proxy's sheet; its QR code, decoded from the rendered page, opens the ballot page on a
phone, which names the proxy, leaves out the motions not authorised and locks the instructed answer;
the proxy votes and keeps the receipt; the owner's own sheet now says it was revoked."""

from __future__ import annotations

from core.cli.demo import DEMO_ACCOUNTS
from core.testing import qr_codes_in_document
from tests.e2e.a11y import assert_fits_phone
from tests.e2e.conftest import signed_in
from tests.e2e.office import record_proxy
from tests.e2e.owner import NO_WEBCRYPTO_ED25519, PHONE, demo_meeting, sheet_codes, sheet_url
from tests.e2e.test_owner_phone import assert_says, open_sheet
from tests.e2e.test_voting_console import SCREENSHOTS


async def test_an_officer_records_a_proxy_and_the_proxy_votes_on_a_phone(
    live_server, browser, tmp_path, wuye_plugins
):
    meeting = demo_meeting(tmp_path, wuye_plugins)
    owner_url = sheet_url(live_server, meeting, sheet_codes(tmp_path)[1])
    context = await browser.new_context(**PHONE)
    await context.add_init_script(NO_WEBCRYPTO_ED25519)  # WeChat's in-app browser: the JS fallback signs
    phone = await context.new_page()
    serial = await open_sheet(phone, owner_url)

    # the officer records the authorisation: motions 1 and 4, the owner wrote 同意 for motion 1
    username, _, password, _ = next(a for a in DEMO_ACCOUNTS if a[3] == "district_officer")
    desk = await signed_in(browser, live_server, username, password)
    console = f"{live_server}/d/demo/voting/meetings/{meeting}/console"

    async def unticked_box_stops_the_form() -> None:  # not yet ticked: the browser asks for it
        await desk.click("#proxy-form button[type=submit]")
        assert await desk.evaluate("!document.getElementById('proxy-checked').validity.valid")
        await desk.locator("#proxies").scroll_into_view_if_needed()
        await desk.screenshot(path=str(SCREENSHOTS / "proxy-form.png"), full_page=False)

    sheet = await record_proxy(
        desk,
        console,
        tmp_path,
        serial=serial,
        proxy="陈受托",
        motions={1: "同意"},
        unticked=(2, 3),
        before_submit=unticked_box_stops_the_form,
    )
    (proxy_url,) = qr_codes_in_document(sheet.read_bytes(), tmp_path / "qr")
    assert proxy_url.startswith(f"{live_server}/v/{meeting}#k=")
    await desk.goto(console)
    listed = await desk.inner_text("#proxy-list")
    assert "陈受托（证件尾号 1234）" in listed and "第1项同意" in listed
    assert listed.count("陈受托（证件尾号 1234）") == 1  # the double click recorded one authorisation

    # the proxy opens their sheet on a phone
    await open_sheet(phone, proxy_url)
    await phone.wait_for_selector("#step-vote:not([hidden])")
    assert "受托人陈受托" in await phone.inner_text("#proxy-note")
    ballot = await phone.inner_text("#ballot")
    assert "第 3 项" in ballot and "不在授权委托范围内" in ballot
    assert await phone.locator("fieldset[data-position='2']").count() == 0
    assert await phone.locator("fieldset[data-position='3']").count() == 0
    first = phone.locator("fieldset[data-position='1']")
    assert await first.locator("input[value='agree']").is_checked()
    assert await first.locator("input[value='oppose']").is_disabled()
    assert "委托人的表决意见：同意" in await first.inner_text()
    election = phone.locator("fieldset[data-position='4']")
    await election.locator("input[type=checkbox]").first.check()
    await assert_fits_phone(phone, "proxy-ballot")
    await phone.screenshot(path=str(SCREENSHOTS / "proxy-ballot.png"), full_page=True)
    await phone.click("#review")
    await phone.click("#submit")
    try:
        await phone.wait_for_selector("#step-receipt:not([hidden])", timeout=15000)
    except Exception:
        raise AssertionError(await phone.inner_text("body")) from None
    assert "ballot_hash" in await phone.text_content("#receipt-text")

    # the owner's own sheet was revoked when the authorisation was recorded
    await open_sheet(phone, owner_url)
    said = await assert_says(phone, "已作废")
    assert "不能用它投票" in said
    await context.close()
