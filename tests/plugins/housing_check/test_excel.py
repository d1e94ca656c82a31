"""Excel both ways for the housing check: the households list in Chinese headings (GBK CSV, a title
row), its template (downloaded, read back, imported as it is), the entrustments exported to XLSX for
this district only, and an over-size list through the console form answered by the form itself."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from core.testing import login
from plugins.housing_check.rules.intake import parse_list
from plugins.housing_check.tables import HousingCheckEntrustment, HousingCheckHousehold, HousingCheckStep
from tests.plugins.housing_check.conftest import id_number, list_csv
from tests.plugins.housing_check.test_console import HTML, create_by_form, form
from tests.plugins.housing_check.test_flow import BASE, today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_chinese_headings_in_gbk_below_a_title_row():
    rows = [
        "朝阳街道核查对象名单,,,",
        "户号,姓名,公民身份号码,与申请人关系",
        f"H1,张伟,{id_number(11)},申请人",
        f"H1,李娜,{id_number(12, '19820202')},配偶",
    ]
    parsed = parse_list(("\r\n".join(rows) + "\r\n").encode("gbk"), "名单.csv")
    assert not parsed.problems, parsed.problems
    assert [len(h.members) for h in parsed.households] == [2]
    bad = parse_list(("\r\n".join([*rows, "H2,王芳,123,申请人"]) + "\r\n").encode("gb18030"), "名单.csv")
    assert [(p.row, p.column, p.code) for p in bad.problems] == [(5, "id_number", "housing_check_row_bad_id")]


async def test_the_template_reads_back_and_imports_as_it_is(db, client, people):
    csrf = await login(client, "sup")
    response = await client.get(f"{BASE}/households-template.xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(XLSX)
    assert response.headers["cache-control"] == "no-store"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["核查对象名单", "填写说明"]
    assert [c.value for c in book.worksheets[0][1]] == ["户编号", "姓名", "身份证号码", "关系"]
    notes = [[c.value for c in row] for row in book["填写说明"].iter_rows()]
    assert notes[0][:4] == ["列名", "含义", "是否必填", "可填写的值"]
    assert [n[0] for n in notes[1:5]] == ["户编号", "姓名", "身份证号码", "关系"] and notes[1][2] == "必填"
    page = await client.get(f"{BASE}/", headers=HTML)
    assert "households-template.xlsx" in page.text and "下载填写模板" in page.text
    assert "文件不超过 2 MB" in page.text
    created = await create_by_form(client, csrf, file=response.content)
    assert created.status_code == 303, created.text
    assert await HousingCheckHousehold.count() == 1


async def test_entrustments_export_for_this_district_only(db, client, people):
    csrf = await login(client, "sup")
    assert (await create_by_form(client, csrf, file=list_csv())).status_code == 303
    response = await client.get(f"{BASE}/entrustments.xlsx")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["委托编号", "委托单位", "保障类别", "委托书编号"]
    assert len(rows) == 2 and rows[1][1] == "甲街道住房保障实施机构"
    page = await client.get(f"{BASE}/", headers=HTML)
    assert "entrustments.xlsx" in page.text and "导出 Excel" in page.text
    await client.post("/logout", data={"csrf_token": csrf})
    await login(client, "officer_x")  # beta's supervisor
    assert (await client.get(f"{BASE}/entrustments.xlsx")).status_code == 403
    other = await client.get("/d/beta/housing_check/entrustments.xlsx")
    assert other.status_code == 200
    assert len(list(load_workbook(io.BytesIO(other.content)).worksheets[0].iter_rows())) == 1


async def test_an_over_size_list_comes_back_on_the_form_with_what_was_typed(db, client, people):
    csrf = await login(client, "sup")
    big = list_csv() + b"#" * (3 * 1024 * 1024)
    response = await create_by_form(client, csrf, file=big, letter_no="沪保委〔2026〕99号")
    assert response.status_code == 413, response.text[:500]
    page = response.text
    assert 'nav class="menu"' in page  # the console's layout, not a bare error page
    assert "沪保委〔2026〕99号" in page and "甲街道住房保障实施机构" in page  # the typed text kept
    assert 'id="list-file-error"' in page and "不能超过 2 MB" in page  # beside the file field
    assert await HousingCheckEntrustment.count() == 0
    huge = await create_by_form(client, csrf, file=b"x" * (12 * 1024 * 1024), letter_no="沪保委〔2026〕98号")
    assert huge.status_code == 413 and "沪保委〔2026〕98号" in huge.text
    still = await client.post(
        f"{BASE}/console/entrustments",
        data=form(csrf, letter_no="x"),
        files={"data": ("名单.csv", list_csv(), "text/csv")},
        headers=HTML,
    )
    assert still.status_code != 413


async def test_an_over_size_attachment_comes_back_on_the_step_form_with_the_finding(db, client, people):
    from tests.plugins.housing_check.test_console import _assigned_entrustment

    entrustment, (h1, _) = await _assigned_entrustment(client)
    csrf = await login(client, "officer_a")
    here = f"{BASE}/entrustments/{entrustment}/households/{h1}"
    page = await client.get(f"{here}/console", headers=HTML)
    assert "每个文件不超过 20 MB" in page.text
    response = await client.post(
        f"{here}/console/steps",
        data=form(csrf, step="electronic:unresolved", date=today().isoformat(), finding="登记系统无记录"),
        files={"data": ("比对结果.pdf", b"%PDF-1.4" + b"0" * (21 * 1024 * 1024), "application/pdf")},
        headers=HTML,
    )
    assert response.status_code == 413
    assert 'nav class="menu"' in response.text and "登记系统无记录" in response.text
    assert 'id="step-files-error"' in response.text and "不能超过 20 MB" in response.text
    assert await HousingCheckStep.count() == 0
