"""The whole group-rental workflow in the console, in a real headless Chromium against a real server:
a case opened, an inspection with rooms added and removed (a refused area shown in Chinese, nothing
saved), photos, the determination with its numbers, the order downloaded, service by posting with
photographs and by signed receipt, re-inspections (rectified and not), the escalation zip downloaded
twice and its cover letter opened, the overdue list, and the duty switched off for the district."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from docx import Document

from core.cli.demo import DEMO_ACCOUNTS
from tests.e2e.conftest import browser, live_server  # noqa: F401  (fixtures)
from tests.plugins.group_rental.conftest import image, text_of

HOME = "/d/demo/group_rental/"


async def submit(page: Any, selector: str) -> None:
    """Click a submit button and wait for the page the server answers with."""
    async with page.expect_navigation():
        await page.click(selector)


async def download(page: Any, selector: str, folder: Path) -> bytes:
    async with page.expect_download() as info:
        await page.click(selector)
    saved = folder / (await info.value).suggested_filename
    await (await info.value).save_as(saved)
    return saved.read_bytes()


async def status(page: Any) -> str:
    return await page.locator("#status").inner_text()


async def fill_room(page: Any, n: int, name: str, use: str, area: str, occupants: int, *flags: str) -> None:
    await page.fill(f"input[name=room-{n}-name]", name)
    await page.select_option(f"select[name=room-{n}-designed_use]", use)
    await page.fill(f"input[name=room-{n}-usable_area_m2]", area)
    await page.fill(f"input[name=room-{n}-occupants]", str(occupants))
    await page.check(f"input[name=room-{n}-let]")
    for flag in flags:
        await page.check(f"input[name=room-{n}-{flag}]")


async def test_the_whole_case_in_the_console(live_server, browser, tmp_path):  # noqa: F811
    username, _, password, _ = next(a for a in DEMO_ACCOUNTS if a[3] == "district_officer")
    context = await browser.new_context(accept_downloads=True)
    page = await context.new_page()
    await page.goto(f"{live_server}/login")
    await page.fill("#username", username)
    await page.fill("#password", password)
    await submit(page, "button[type=submit]")
    assert page.url.endswith("/console")

    # the demo cases were opened under the national profile; the district now chooses Shanghai's
    await page.goto(f"{live_server}/d/demo")
    await page.select_option("#code", "shanghai-2020")
    await submit(page, "form[action='/d/demo/jurisdiction'] button[type=submit]")

    await page.goto(live_server + HOME)
    assert await page.locator("#overdue tbody tr").count() == 1
    overdue_case = await page.locator("#overdue tbody tr").get_attribute("data-case")
    determined_case = next(
        c
        for c in await page.locator("#cases tbody tr").evaluate_all("rows => rows.map(r => r.dataset.case)")
        if c != overdue_case
    )

    # --- open a case -------------------------------------------------------------------------------
    await page.fill("#address", "示范花园9号楼901室")
    await page.fill("#party", "某某房产经纪有限公司")
    await page.select_option("#source", "inspection")
    await submit(page, "#new-case button[type=submit]")
    assert "/console?done=opened" in page.url and await status(page) == "待检查"
    case = page.url.split("/cases/")[1].split("/")[0]
    assert (
        "上海（住宅物业管理规定2020）" in await page.locator("#rules").inner_text()
    )  # the name, not the code

    # --- the inspection: rows added and removed, a refused area, then the determination -------------
    await page.fill("#inspectors", "王检查、李核查")
    await page.check("input[name=police_present]")
    await page.check("input[name=committee_present]")
    await page.check("#agency_managed")
    await fill_room(page, 0, "主卧", "living", "14.99", 3)
    for _ in range(3):
        await page.click("#add-room")
    assert await page.locator("#rooms tr").count() == 4
    await fill_room(page, 1, "客厅", "living_room", "12.345", 2, "partitioned", "daylight", "ventilation")
    await fill_room(page, 2, "厨房", "kitchen", "6", 1)
    await page.locator("#rooms tr").nth(3).locator(".remove-room").click()
    assert await page.locator("#rooms tr").count() == 3
    await submit(page, "#inspection-form button[type=submit]")
    error = await page.locator("#form-error").inner_text()
    assert "第 2 个房间（客厅）的使用面积" in error and "最多两位小数" in error
    assert await status(page) == "待检查" and await page.locator(".inspection").count() == 0
    assert await page.input_value("input[name=room-2-name]") == "厨房"  # what was typed is kept
    assert await page.is_checked("input[name=room-1-daylight]") and await page.is_checked("#agency_managed")
    await page.fill("input[name=room-1-usable_area_m2]", "12.00")
    await submit(page, "#inspection-form button[type=submit]")
    assert await status(page) == "已认定群租"
    findings = page.locator(".inspection table.findings")
    assert await findings.locator("tr[data-criterion]").evaluate_all(
        "rows => rows.map(r => r.dataset.criterion)"
    ) == ["3", "4", "5"]
    c4 = await findings.locator("tr[data-criterion='4']").inner_text()
    assert "人均居住面积（平方米）：4.99" in c4 and "最低标准（平方米/人）：5.00" in c4 and "第十条" in c4
    assert "代理经租客厅分隔" in await page.locator(".inspection .exception").inner_text()

    # --- photos ------------------------------------------------------------------------------------
    room_photo = image("PNG", "red")
    await page.set_input_files(
        "#photo-files",
        [
            {"name": "主卧.png", "mimeType": "image/png", "buffer": room_photo},
            {"name": "厨房.jpg", "mimeType": "image/jpeg", "buffer": image("JPEG", "blue")},
        ],
    )
    await page.fill("#caption", "检查现场")
    await submit(page, "#photo-form button[type=submit]")
    assert await page.locator("#photos tbody tr").count() == 2
    assert hashlib.sha256(room_photo).hexdigest() in await page.locator("#photos").inner_text()

    # --- the order ---------------------------------------------------------------------------------
    await page.fill("#doc_number", "示房责改〔2026〕9号")
    await submit(page, "#order-form button[type=submit]")
    assert await status(page) == "已制发通知书"
    order = text_of(await download(page, "#order-1 a.order-docx", tmp_path))
    assert "责令改正通知书" in order and "示范花园9号楼901室" in order and "示房责改〔2026〕9号" in order
    assert "人均居住面积 4.99 平方米" in order

    # --- service by posting on the door: refused without photographs, then with them -------------------
    await page.check("#method-posted")
    await submit(page, "#service-form button[type=submit]")
    assert "上门张贴送达须至少附一张张贴现场照片" in await page.locator("#form-error").inner_text()
    assert await status(page) == "已制发通知书"
    await page.check("#method-posted")
    door = image("JPEG", "green")
    await page.set_input_files(
        "#posting-files", [{"name": "房门.jpg", "mimeType": "image/jpeg", "buffer": door}]
    )
    await submit(page, "#service-form button[type=submit]")
    assert await status(page) == "已送达，待复查"
    assert "上门张贴送达" in await page.locator("#order-1 .service").inner_text()
    assert "张贴照片" in await page.locator("#photos").inner_text()

    # --- re-inspection (the form starts from the last record): not rectified ------------------------
    assert await page.input_value("input[name=room-0-name]") == "主卧"
    await page.fill("#inspectors", "王检查")
    await submit(page, "#inspection-form button[type=submit]")
    assert await status(page) == "逾期未改正"

    # --- escalation: the zip built, kept, downloaded twice, its cover letter opened --------------------
    await page.fill("#recipient", "示范区房屋管理局")
    await submit(page, "#escalation-form button[type=submit]")
    assert "示范区房屋管理局" in await page.locator("#confirm[data-code=group_rental_escalate]").inner_text()
    assert await status(page) == "逾期未改正"  # asked first
    await submit(page, "#confirm-yes")
    assert await status(page) == "已移送区房管部门"
    shown = await page.locator("#package-sha").inner_text()
    first = await download(page, "#package", tmp_path)
    await page.reload()
    second = await download(page, "#package", tmp_path)
    assert first == second and hashlib.sha256(first).hexdigest() == shown
    archive = zipfile.ZipFile(io.BytesIO(first))
    names = archive.namelist()
    assert names[0] == "00-移送函.docx" and "manifest.json" in names
    assert len([n for n in names if n.startswith("04-照片/")]) == 3
    assert any(archive.read(n) == door for n in names if n.startswith("04-照片/张贴照片/"))
    cover = Document(io.BytesIO(archive.read("00-移送函.docx")))
    cover_text = "\n".join(p.text for p in cover.paragraphs)
    assert "示范区房屋管理局" in cover_text and case in cover_text and "逾期未改正" in cover_text

    # --- the demo's determined case: served by signed receipt ----------------------------------------
    await page.goto(f"{live_server}{HOME}cases/{determined_case}/console")
    assert (
        "全国（民法典）" in await page.locator("#rules").inner_text()
    )  # opened before the district's switch
    await submit(page, "#order-form button[type=submit]")
    await page.fill("#received_by", "")
    await submit(page, "#service-form button[type=submit]")
    assert "直接签收送达须填写签收人" in await page.locator("#form-error").inner_text()
    await page.fill("#received_by", "赵经理")
    await submit(page, "#service-form button[type=submit]")
    assert await status(page) == "已送达，待复查"
    assert "签收人：赵经理" in await page.locator("#order-1 .service").inner_text()

    # --- the overdue case: re-inspected and put right -------------------------------------------------
    await page.goto(f"{live_server}{HOME}cases/{overdue_case}/console")
    assert "尚未复查" in await page.locator("#overdue").inner_text()
    await page.fill("#inspectors", "王检查")
    for n in (1, 2):  # 次卧 and 客厅 no longer partitioned
        await page.uncheck(f"input[name=room-{n}-partitioned]")
    await page.uncheck("input[name=room-3-let]")  # the balcony no longer let
    await submit(page, "#inspection-form button[type=submit]")
    assert await status(page) == "已改正（已办结）"
    await page.goto(live_server + HOME)
    assert await page.locator("#overdue").count() == 0

    # --- switched off for the district, the duty does not exist there -------------------------------
    await page.goto(f"{live_server}/d/demo/plugins")
    await submit(page, "tr[data-plugin=group_rental] button[type=submit]")
    await submit(page, "#confirm[data-code=plugin_off] #confirm-yes")  # switching off asks first
    response = await page.goto(live_server + HOME)
    assert response is not None and response.status == 404
    await context.close()
