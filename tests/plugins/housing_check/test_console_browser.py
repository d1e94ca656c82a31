"""The whole check through the console in a real headless Chromium against ``wuye run`` on the demo
data: the supervisor uploads the list (a bad one first: problems by row, nothing saved) and assigns an
officer; the officer records the steps with an attachment and the dwellings, sees the computation,
issues the report and downloads it (opened with python-docx); an unassigned officer gets 403."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from docx import Document

from core.cli.demo import DEMO_ACCOUNTS
from core.testing import wuye_command
from plugins.housing_check.demo import CHECKER
from tests.e2e.conftest import browser, live_server, server_env, signed_in  # noqa: F401  (fixtures)
from tests.plugins.housing_check.conftest import id_number, list_csv

HOME = "/d/demo/housing_check/"


async def test_check_through_the_console(live_server, browser, tmp_path, wuye_plugins):  # noqa: F811
    wuye_command(
        "staff", "add", "outsider", "--name", "未指派干部", "--role", "district_officer", "-d", "demo",
        "--password-stdin", env=server_env(tmp_path, wuye_plugins), input="outsider-password-1\n",
    )  # fmt: skip
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    supervisor = next(a for a in DEMO_ACCOUNTS if a[3] == "district_officer")

    # the supervisor: the demo's deadline list, a bad list refused by row, then the letter recorded
    page = await signed_in(browser, live_server, supervisor[0], supervisor[2])
    await page.goto(f"{live_server}{HOME}")
    assert await page.locator("#due-list tbody tr").count() == 2  # the demo's open entrustments
    await page.fill("#entrusting_office", "示范街道住房保障实施机构")
    await page.select_option("#scheme", "low_rent")
    await page.fill("#letter_no", "示保委〔2026〕99号")
    await page.fill("#received_on", (today - timedelta(days=2)).isoformat())
    bad = list_csv([f"H1,张伟,{id_number(11)},配偶", "H2,王芳,310101197505050210,申请人"])
    await page.set_input_files(
        "#list-file", files=[{"name": "名单.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    await page.click("#new-entrustment button[type=submit]")
    errors = await page.locator("#form-errors").inner_text()
    assert "第 3 行 身份证号码：身份证号码有误" in errors and "第 2 行 关系：家庭 H1 没有申请人" in errors
    assert await page.locator("#due-list tbody tr").count() == 2  # nothing saved
    assert await page.input_value("#letter_no") == "示保委〔2026〕99号"  # what was typed is kept
    await page.set_input_files(
        "#list-file", files=[{"name": "名单.csv", "mimeType": "text/csv", "buffer": list_csv()}]
    )
    await page.click("#new-entrustment button[type=submit]")
    await page.wait_for_url("**/console?done=created")
    entrustment_url = page.url.split("?")[0]
    assert "张伟" in await page.locator("#households").inner_text()
    assert id_number(11) not in await page.content()  # masked in the list
    await page.check(f"#assign input[value={CHECKER[0]}]")
    await page.click("#assign button[type=submit]")
    await page.wait_for_url("**?done=officers")
    assert CHECKER[0] in await page.locator("#officers").inner_text()
    h1, h2 = [
        await page.locator(f"#households tr[data-household-no={no}] a").get_attribute("href")
        for no in ("H1", "H2")
    ]

    # an officer of the district who is not assigned: 403 on the household page
    outsider = await signed_in(browser, live_server, "outsider", "outsider-password-1")
    refused = await outsider.goto(f"{live_server}{h1}")
    assert refused is not None and refused.status == 403
    assert "您未被指派办理该核查委托" in await outsider.content() and "张伟" not in await outsider.content()

    # the assigned officer: steps in order, an attachment, the dwellings, the computation
    page = await signed_in(browser, live_server, CHECKER[0], CHECKER[2])
    await page.goto(f"{live_server}{h1}")
    assert id_number(11) in await page.locator("#members").inner_text()
    await page.select_option("#step", "archive:resolved")
    await page.fill("#finding", "调取档案")
    await page.click("#step-form button[type=submit]")
    assert "须先完成电子信息比对" in await page.locator("#form-errors").inner_text()
    await page.select_option("#step", "electronic:unresolved")
    await page.fill("#finding", "登记系统无记录，公房系统有租赁记录")
    await page.set_input_files(
        "#step-files",
        files=[{"name": "比对结果.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}],
    )
    await page.click("#step-form button[type=submit]")
    await page.wait_for_url("**?done=step")
    await page.select_option("#step", "archive:resolved")
    await page.fill("#finding", "调取公房租赁凭证及测绘报告")
    await page.click("#step-form button[type=submit]")
    await page.wait_for_url("**?done=step")
    assert await page.locator("#steps tbody tr").count() == 2
    assert await page.locator("#steps .attachment a").inner_text() == "比对结果.pdf"
    for kind, address, area, source, holder in (
        ("home", "示范路1弄1号101室", "38.50", "测绘报告", ""),
        ("other", "示范路2弄5号302室", "45.25", "权属档案", "李娜"),
        ("compensated", "老城路9号", "20.1", "征收档案", "张伟"),
    ):
        await page.select_option("#kind", kind)
        await page.fill("#address", address)
        await page.fill("#holder", holder)
        await page.fill("#area", area)
        await page.fill("#source", source)
        await page.click("#dwelling-form button[type=submit]")
        await page.wait_for_url("**?done=dwelling")
    await page.select_option("#kind", "home")
    await page.fill("#address", "错误示例")
    await page.fill("#area", "12.345")
    await page.fill("#source", "测绘报告")
    await page.click("#dwelling-form button[type=submit]")
    assert "面积有误：12.345" in await page.locator("#form-errors").inner_text()
    computation = await page.locator("#computation").inner_text()
    assert "38.50 + 45.25 + 20.1 = 103.85" in computation and "103.85 ÷ 3 人 = 34.62" in computation
    await page.goto(f"{live_server}{h2}")
    await page.select_option("#step", "electronic:resolved")
    await page.fill("#finding", "比对未发现住房")
    await page.click("#step-form button[type=submit]")
    await page.wait_for_url("**?done=step")

    # the report: issued, the entrustment closed, the docx downloaded and read
    await page.goto(entrustment_url)
    await page.click("#issue-report button[type=submit]")
    await page.wait_for_selector("#confirm[data-code=housing_check_issue_report]")  # asked first
    assert await page.locator("#status").get_attribute("data-status") == "open"
    await page.click("#confirm-yes")
    await page.wait_for_url("**?done=report")
    assert await page.locator("#status").get_attribute("data-status") == "reported"
    async with page.expect_download() as info:
        await page.click("#download-report")
    download = await info.value
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    document = Document(str(saved))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "住房状况核查结果报告" in text and "申请人张伟家庭" in text and "申请人王芳家庭" in text
    assert "103.85 ÷ 3 人 = 34.62" in text and "按期" in text
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert id_number(11) not in cells and id_number(11)[-4:] in cells
    await page.goto(f"{live_server}{HOME}")
    assert await page.locator("#due-list tbody tr").count() == 2  # the demo's two remain open
    assert await page.locator("#closed-list tbody tr").count() == 1
