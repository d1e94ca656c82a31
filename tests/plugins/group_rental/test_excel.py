"""The district's group-rental cases export to XLSX (Chinese headings, no-store, an audited read), for
the district's own staff only."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from core.data.tables import AuditEntry
from core.district_services import add_district, switch_plugin
from core.testing import login
from tests.plugins.group_rental.test_console_forms import BASE, HTML, officer, open_case


async def test_cases_export_for_this_district_only(db, client, district, staff_factory):
    other = await add_district(db, "test", "beta", "乙街道")
    await switch_plugin(db, "test", other, "group_rental", True)
    await staff_factory("officer_b", "district_officer", "beta")
    csrf = await officer(client, staff_factory)
    case = await open_case(client, csrf)
    page = await client.get(f"{BASE}/", headers=HTML)
    assert "cases.xlsx" in page.text and "导出 Excel" in page.text
    response = await client.get(f"{BASE}/cases.xlsx")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    rows = [
        [c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows()
    ]
    assert rows[0] == ["案件编号", "房屋地址", "小区", "当事人", "来源", "状态", "立案时间"]
    assert rows[1][:6] == [case, "示范路3号502室", None, "钱某", "投诉举报", "待检查"]
    assert "年" in rows[1][6]  # the office's local time, as people read it
    assert await AuditEntry.exists().where(AuditEntry.action == "group_rental.cases_export")
    await client.post("/logout", data={"csrf_token": csrf})
    await login(client, "officer_b")
    assert (await client.get(f"{BASE}/cases.xlsx")).status_code == 403
    own = await client.get("/d/beta/group_rental/cases.xlsx")
    assert own.status_code == 200
    assert len(list(load_workbook(io.BytesIO(own.content)).worksheets[0].iter_rows())) == 1
