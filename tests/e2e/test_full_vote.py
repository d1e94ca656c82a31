"""The whole vote, end to end, against a real server, database, browser and document tools: register,
print (with a motion of building 2 only), an owner votes in Chromium from the QR code on the printed
sheet, the officer records a proxy whose holder votes from the proxy sheet's QR code, a counter enters a
paper ballot in the console, the officer seals, the tally, the preliminary result with an objection
recorded and answered, the committee's announcement after the objection period, export, and
``wuye verify``; a snapshot of the board downloaded mid-vote, and the sealed bundle checked against it
with ``wuye verify --since``; then the owner checks the receipt on the public page."""

from __future__ import annotations

import asyncio
import io
import json
import re
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta

from docx import Document

from core.testing import office_today, qr_codes_in_document, qr_codes_in_image, wuye_command, wuye_env
from tests.e2e.conftest import signed_in
from tests.e2e.office import preliminary_with_objection, record_proxy
from tests.e2e.owner import sheet_serial, shift_calendar
from tests.plugins.voting.conftest import encode, meeting_file, register_csv


async def test_register_print_vote_count_seal_announce_export_verify(live_server, browser, tmp_path):
    db = f"{tmp_path}/e2e.sqlite3"
    env = wuye_env(f"sqlite:///{db}", ["tests.fixtures.plugins.toy_duty.plugin"], WUYE_VAR_DIR=str(tmp_path))
    env["WUYE_BASE_URL"] = live_server

    # 1. register and meeting (CLI, as an officer would script it)
    wuye_command("estate", "add", "-d", "demo", "FLOW", "流程花园", env=env)
    (tmp_path / "register.csv").write_bytes(register_csv())
    wuye_command("voting", "register", "import", "-e", "FLOW", str(tmp_path / "register.csv"), env=env)
    # with a motion of building 2 only (its owners share the cost: Civil Code Art. 278)
    motions = [
        *meeting_file()["motions"],
        {"title": "使用维修资金维修2号楼屋面", "matter": "use_fund", "scope": ["2"]},
    ]
    (tmp_path / "meeting.json").write_bytes(encode(meeting_file(motions=motions)))
    meeting = json.loads(
        wuye_command(
            "voting", "meeting", "create", "-e", "FLOW", str(tmp_path / "meeting.json"), "--json", env=env
        ).stdout
    )["meeting"]
    wuye_command("voting", "meeting", "publish", meeting, "--json", env=env)

    # 2. print: the QR codes on the printed pages are the owners' ballot links
    sheets = tmp_path / "sheets.docx"
    wuye_command("voting", "ballots", "print", "-m", meeting, "--out", str(sheets), env=env)
    urls = qr_codes_in_document(sheets.read_bytes(), tmp_path / "qr", first_page=1, last_page=2)
    assert len(urls) == 2 and all(u.startswith(f"{live_server}/v/{meeting}#k=") for u in urls)
    today = datetime.now(UTC)
    shift_calendar(
        db,
        meeting,
        meeting_date=today.date().isoformat(),
        voting_closes=(today + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S.%f+00:00"),
    )
    wuye_command(
        "voting", "meeting", "open", meeting, "--override-reason", "端到端测试：送达另行登记", env=env
    )

    # 3. owner 1 votes on a phone-sized page from the QR link
    context = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = await context.new_page()
    await phone.goto(urls[0])
    await phone.wait_for_selector("#step-vote:not([hidden])")
    info = json.loads(await phone.inner_text("#meeting-info"))
    assert "第 4 项（使用维修资金维修2号楼屋面）仅由2号楼的业主表决，本户不在表决范围内。" in (
        await phone.inner_text("#ballot")
    )
    for motion in info["motions"]:
        box = phone.locator(f"fieldset[data-position='{motion['position']}']")
        if motion.get("scope"):  # owner 1 has no unit in building 2: the motion is not on the ballot
            assert await box.count() == 0
            continue
        if motion["kind"] == "election":
            await box.locator(f"input[value='{motion['candidates'][0]['id']}']").check()
        else:
            await box.locator("input[value='agree']").check()
    await phone.click("#review")
    await phone.click("#submit")
    await phone.wait_for_selector("#step-receipt:not([hidden])")
    receipt_text = await phone.text_content("#receipt-text")
    # the receipt saved as an image carries a QR code back to the public page, receipt in the fragment
    await phone.wait_for_selector("#receipt-image:not([hidden])")
    async with phone.expect_download() as download_info:
        await phone.click("#save-image")
    receipt_image = tmp_path / "receipt.png"
    await (await download_info.value).save_as(receipt_image)
    (receipt_link,) = qr_codes_in_image(receipt_image)
    assert receipt_link.startswith(f"{live_server}/verify/{meeting}#r=")
    assert json.loads(receipt_text)["receipt"]["ballot_hash"] not in receipt_link  # packed, not hex
    from plugins.voting.protocol.ballot import receipt_from_fragment

    saved = json.loads(receipt_text)
    assert receipt_from_fragment(meeting, receipt_link.partition("#")[2]) == {
        "receipt": saved["receipt"],
        "signature": saved["signature"],
    }

    # 3a. owner 4 (building 2) authorised a proxy in writing for motions 1 and 4, writing 反对 for 1: the
    #     officer records it in the console and hands over the proxy's sheet, whose QR code the proxy
    #     scans; the ballot page leaves motions 2 and 3 out and holds motion 1 to the instruction
    desk = await signed_in(browser, live_server, "officer", "wuye-officer-2026")
    console = f"{live_server}/d/demo/voting/meetings/{meeting}/console"
    serial_4 = sheet_serial(db, meeting, 4)
    proxy_sheet = await record_proxy(
        desk, console, tmp_path, serial=serial_4, proxy="陈受托", motions={1: "反对"}, unticked=(2, 3)
    )
    (proxy_url,) = qr_codes_in_document(proxy_sheet.read_bytes(), tmp_path / "qr-proxy")
    await phone.goto("about:blank")
    await phone.goto(proxy_url)
    await phone.wait_for_selector("#step-vote:not([hidden])")
    assert "受托人陈受托" in await phone.inner_text("#proxy-note")
    assert await phone.locator("fieldset[data-position='1'] input[value='oppose']").is_checked()
    assert await phone.locator("fieldset[data-position='2']").count() == 0
    await phone.locator("fieldset[data-position='4'] input[value='agree']").check()  # the roof: agreed
    await phone.click("#review")
    await phone.click("#submit")
    await phone.wait_for_selector("#step-receipt:not([hidden])")

    # 3b. mid-vote: the deadline brought to within a minute (the heads signed before go with the old
    #     one); once the ballot is past the heads' settling margin (30 s) the officer signs the board's
    #     head in the console, and anyone downloads the snapshot from the public page
    closes = datetime.now(UTC) + timedelta(seconds=45)
    shift_calendar(db, meeting, voting_closes=closes.strftime("%Y-%m-%d %H:%M:%S.%f+00:00"))
    await asyncio.sleep(31)
    await desk.goto(console)
    await desk.click("#sign-head")
    await desk.wait_for_selector("#done")
    assert "已签署公示" in await desk.inner_text("#done")
    board = await context.new_page()
    await board.goto(f"{live_server}/verify/{meeting}")
    assert await board.text_content("#head-ballots") == "2"
    async with board.expect_download() as snapshot_info:
        await board.click("#snapshot")
    snapshot = tmp_path / "snapshot.zip"
    await (await snapshot_info.value).save_as(snapshot)
    await board.close()
    offline = wuye_env("sqlite:////nonexistent/x.db", [])
    mid = json.loads(wuye_command("verify", str(snapshot), "--json", env=offline).stdout)
    assert mid["ok"] is True and mid["snapshot"] is True and mid["checked"]["ballots"] == 2

    # 4. voting closes; the counter enters owner 2's paper sheet in the console, confirmed by a scrutineer
    await asyncio.sleep(max(0.0, (closes - datetime.now(UTC)).total_seconds()) + 1)
    voters = json.loads(wuye_command("voting", "meeting", "show", meeting, env=env).stdout)
    assert voters["status"] == "open"
    serial = sheet_serial(db, meeting, 2)
    await desk.goto(f"{live_server}/d/demo/voting/meetings/{meeting}/console")
    # the scrutineer's first sign-in to the count: their own key, under the passphrase they set
    assert "尚无监票人登记签名密钥" in await desk.inner_text("#scrutineer-key-list")
    await desk.select_option("#key-scrutineer", "周监票")
    await desk.fill("#key-passphrase", "zhou-监票-2026")
    await desk.click("#scrutineer-key-form button[type=submit]")
    await desk.wait_for_selector("#scrutineer-key-result.card")
    made = await desk.inner_text("#scrutineer-key-result")
    fingerprint = re.search(r"密钥指纹 ([0-9a-f]{4}(?: [0-9a-f]{4}){3})", made).group(1)
    assert await desk.input_value("#key-passphrase") == ""  # the page keeps no passphrase
    await desk.goto(f"{live_server}/d/demo/voting/meetings/{meeting}/console")
    assert fingerprint in await desk.inner_text("#scrutineer-key-list")
    # a wrong passphrase confirms nothing
    await desk.fill("#paper-serial", serial)
    await desk.select_option("#paper-m1", "反对")
    await desk.select_option("#paper-m2", "同意")
    await desk.fill("#paper-m3", "钱二")
    await desk.select_option("#paper-scrutineer", "周监票")
    await desk.fill("#paper-passphrase", "not-the-passphrase")
    await desk.click("#paper-form button[type=submit]")
    await desk.wait_for_selector("#paper-result.error")
    assert "口令不正确" in await desk.inner_text("#paper-result")
    await desk.fill("#paper-passphrase", "zhou-监票-2026")
    await desk.click("#paper-form button[type=submit]")
    await desk.wait_for_selector("#paper-result.card")
    assert "已计入" in await desk.inner_text("#paper-result")

    # 5. the officer seals (a confirmation panel first)
    await desk.click("#seal")
    await desk.wait_for_selector("#confirm[data-code=voting_seal]")
    await desk.click("#confirm-yes")
    await desk.wait_for_selector("#publication")
    assert "公告" in await desk.inner_text("#publication")

    # 6. the tally from the sealed record
    tally = json.loads(wuye_command("voting", "tally", "-m", meeting, "--json", env=env).stdout)
    first = tally["motions"][0]
    assert first["headcount"] == {
        "total": 4,
        "participating": 3,
        "agree": 1,
        "oppose": 2,  # owner 2's paper sheet and owner 4's proxy, as instructed
        "abstain": 0,
        "not_voted": 1,
    }
    assert first["participation_met"] is True and first["passed"] is False  # 1 of 3 agreed
    roof = tally["motions"][3]  # building 2's one owner voted through the proxy
    assert roof["scope"] == {"prefixes": ["2"], "voters": 1}
    assert roof["headcount"]["total"] == 1 and roof["headcount"]["participating"] == 1
    assert roof["area"]["total"] == "100.55" and roof["area"]["agree"] == "100.55"
    # the proxy left motion 2 out: an abstention, as any ballot's left-out motion (docs/protocol.md §8.1)
    assert tally["motions"][1]["headcount"]["abstain"] == 1

    # 7. the preliminary result (初步统计结果公示) opens the objection period; an owner's objection is
    #    recorded and answered; once the period is over, the announcement, downloaded from the console
    await preliminary_with_objection(
        desk,
        console,
        objection="我委托他人投票，请核对是否计入",
        answer="经核对，受托人的表决票已按授权委托书计入。",
    )
    with sqlite3.connect(db) as conn:  # the objection period ends (days pass)
        conn.execute(
            "UPDATE voting_seal SET objections_until = ? WHERE meeting = "
            "(SELECT id FROM voting_meeting WHERE public_id = ?)",
            ((office_today() - timedelta(days=1)).isoformat(), meeting),
        )
    await desk.goto(console)
    async with desk.expect_download() as download_info:
        await desk.click("#announce")
    download = await download_info.value
    announcement = tmp_path / "result.docx"
    await download.save_as(announcement)
    document = Document(io.BytesIO(announcement.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    seal_root = re.search(r"[0-9a-f]{64}", text.split("封存哈希根：")[1]).group(0)  # the annex
    assert "表决结果公告" in text and "未通过" in text
    check_code = [seal_root[i : i + 4] for i in range(0, 16, 4)]
    assert f"核验码：{chr(0xA0).join(check_code)}" in text  # under the QR code, in the body
    codes = qr_codes_in_document(announcement.read_bytes(), tmp_path / "qr-result", last_page=9)
    assert f"{live_server}/verify/{meeting}" in codes

    # 8. export and verify, with no database
    bundle = tmp_path / "bundle.zip"
    wuye_command("voting", "export", "-m", meeting, "--out", str(bundle), env=env)
    report = json.loads(
        wuye_command("verify", str(bundle), "--json", env=wuye_env("sqlite:////nonexistent/x.db", [])).stdout
    )
    assert report["ok"] is True and report["root"] == seal_root
    assert report["checked"]["ballots"] == 2 and report["checked"]["paper"] == 1
    record = json.loads(zipfile.ZipFile(bundle).read("record.json"))
    (key,) = record["meeting"]["scrutineer_keys"]  # the paper sheet was confirmed with 周监票's own key
    assert key["name"] == "周监票" and key["public_key"].startswith(fingerprint.replace(" ", ""))
    assert record["paper"][0]["confirmation"]["key"] == key["public_key"]
    assert report["checked"]["heads"] >= 1  # the mid-vote head (and the closing one), each re-checked
    # … and the sealed record keeps everything the mid-vote snapshot showed (verify-diff)
    diff = wuye_command("verify", "--since", str(snapshot), str(bundle), "--json", env=offline)
    assert json.loads(diff.stdout)["ok"] is True and diff.returncode == 0

    # 9. the owner checks the receipt on the public page
    public = await context.new_page()
    await public.goto(f"{live_server}/verify/{meeting}")
    scoped = await public.inner_text("section.motion[data-motion='4']")
    assert "本事项仅由2号楼的业主表决（1 名表决人）" in scoped
    assert seal_root in await public.text_content("#root")  # folded under 技术细节
    assert (await public.text_content("#check-code")).split() == check_code  # as the notice prints it
    await public.fill("#receipt", receipt_text)
    await public.click("#check")
    await public.wait_for_selector("#result.ok")
    assert "已计入表决结果" in await public.inner_text("#result")
    # … or by scanning the QR code of the saved receipt image: the page opens and checks it at once
    scanned = await context.new_page()
    await scanned.goto(receipt_link)
    await scanned.wait_for_selector("#result.ok")
    verdict = await scanned.inner_text("#result")
    assert "回执签名有效" in verdict and "已计入表决结果" in verdict
    assert json.loads(await scanned.input_value("#receipt")) == {
        k: v for k, v in json.loads(receipt_text).items() if k in ("receipt", "signature")
    }
    await context.close()
