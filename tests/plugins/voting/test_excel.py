"""Excel both ways for voting: the register's and the count sheet's templates (downloaded, read back
with openpyxl, imported as they are), the meetings and the voters exported to XLSX for the district's
own staff only, and an upload over the limit refused in words that state it."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook

from core.district_services import add_district, switch_plugin
from core.testing import login
from plugins.voting.tables import VotingPaperBallot, VotingUnit, VotingVoter
from tests.plugins.voting.conftest import PASSPHRASE, close_voting

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML = {"accept": "text/html"}


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _rows(sheet) -> list[list[object]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


async def test_the_register_template_reads_back_and_imports_as_it_is(db, client, estate, staff_factory):
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    page = await client.get("/d/alpha/voting/", headers=HTML)
    assert "register-template.xlsx" in page.text and "下载填写模板" in page.text
    assert "文件不超过 2 MB" in page.text
    response = await client.get("/d/alpha/voting/register-template.xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(XLSX)
    assert response.headers["cache-control"] == "no-store"
    book = _book(response.content)
    assert book.sheetnames == ["业主名册", "填写说明"]
    data = _rows(book["业主名册"])
    assert data[0] == [
        "房号",
        "专有部分面积",
        "面积来源",
        "业主编号",
        "业主姓名",
        "不动产权证号",
        "开发商未售",
    ]
    assert len(data) == 2 and data[1][0] == "1-101"
    notes = _rows(book["填写说明"])
    assert notes[0] == ["列名", "含义", "是否必填", "可填写的值", "单位", "也可使用的列名"]
    by_column = {n[0]: n for n in notes[1:8]}
    assert by_column["专有部分面积"][4] == "平方米（㎡）" and by_column["不动产权证号"][2] == "选填"
    assert "建筑面积" in by_column["专有部分面积"][5]
    imported = await client.post(
        "/d/alpha/voting/estates/E1/register",
        files={"data": ("业主名册填写模板.xlsx", response.content, XLSX)},
        headers={"x-csrf-token": csrf},
    )
    assert imported.status_code == 201, imported.text
    assert await VotingUnit.count() == 1


async def test_the_count_sheet_template_has_a_column_per_motion_and_imports(
    db, client, open_meeting, scrutineer_key, staff_factory
):
    await staff_factory("counter_a", "district_officer", "alpha")
    csrf = await login(client, "counter_a")
    base = f"/d/alpha/voting/meetings/{open_meeting['id']}"
    page = await client.get(f"{base}/console", headers=HTML)
    assert "count-sheet-template.xlsx" in page.text and "文件不超过 2 MB" in page.text
    response = await client.get(f"{base}/count-sheet-template.xlsx")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    book = _book(response.content)
    header = _rows(book.worksheets[0])[0]
    assert header == ["表决票编号", "交回时间", "议题1", "议题2", "议题3"]
    notes = _rows(book["填写说明"])
    assert "同意" in notes[3][3]  # the allowed values of a resolution
    serial = (await VotingVoter.select(VotingVoter.serial).order_by(VotingVoter.voter_no).first())["serial"]
    # handed in this minute (after the vote opened, before it closes), as an Excel date-time cell
    handed = datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0, tzinfo=None)
    await close_voting(open_meeting)
    filled = Workbook()
    filled.active.append(["某某小区业主大会计票表"])  # a title row above the template's header
    filled.active.append(header)
    filled.active.append([serial, handed, "同意", "弃权", "赵一"])
    out = io.BytesIO()
    filled.save(out)
    imported = await client.post(
        f"{base}/count-sheet",
        files={"file": ("计票表.xlsx", out.getvalue(), XLSX)},
        data={"scrutineer": "周监票", "passphrase": PASSPHRASE},
        headers={"x-csrf-token": csrf},
    )
    assert imported.status_code == 201, imported.text
    assert await VotingPaperBallot.count() == 1
    stored = (await VotingPaperBallot.select(VotingPaperBallot.handed_in_at).first())["handed_in_at"]
    assert stored == handed.replace(tzinfo=ZoneInfo("Asia/Shanghai"))


async def test_meetings_and_voters_export_for_the_districts_own_staff(
    db, client, open_meeting, staff_factory
):
    other = await add_district(db, "test", "beta", "乙街道")
    await switch_plugin(db, "test", other, "voting", True)
    await staff_factory("officer_a", "district_officer", "alpha")
    await staff_factory("officer_b", "district_officer", "beta")
    csrf = await login(client, "officer_a")
    page = await client.get("/d/alpha/voting/", headers=HTML)
    assert "meetings.xlsx" in page.text and "导出 Excel" in page.text
    meetings = await client.get("/d/alpha/voting/meetings.xlsx")
    assert meetings.status_code == 200 and meetings.headers["cache-control"] == "no-store"
    rows = _rows(_book(meetings.content).worksheets[0])
    assert rows[0][:4] == ["会议编号", "会议名称", "小区", "状态"]
    assert rows[1][0] == open_meeting["id"] and rows[1][2] == "示范花园" and rows[1][3] == "表决中"
    voters = await client.get(f"/d/alpha/voting/meetings/{open_meeting['id']}/voters.xlsx")
    assert voters.status_code == 200 and voters.headers["cache-control"] == "no-store"
    rows = _rows(_book(voters.content).worksheets[0])
    assert rows[0][:3] == ["表决人序号", "表决票编号", "业主姓名"] and len(rows) == 1 + 4
    assert {r[5] for r in rows[1:]} == {"当面送达（业主签收）"}
    await client.post("/logout", data={"csrf_token": csrf})
    await login(client, "officer_b")
    assert (await client.get("/d/alpha/voting/meetings.xlsx")).status_code == 403
    assert (await client.get(f"/d/alpha/voting/meetings/{open_meeting['id']}/voters.xlsx")).status_code == 403
    own = await client.get("/d/beta/voting/meetings.xlsx")
    assert own.status_code == 200 and len(_rows(_book(own.content).worksheets[0])) == 1
    assert (await client.get(f"/d/beta/voting/meetings/{open_meeting['id']}/voters.xlsx")).status_code == 404


async def test_a_register_over_the_limit_is_refused_in_words_that_state_it(db, client, estate, staff_factory):
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    response = await client.post(
        "/d/alpha/voting/estates/E1/register",
        files={"data": ("r.csv", b"x" * (3 * 1024 * 1024), "text/csv")},
        headers={"x-csrf-token": csrf},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large" and "不能超过 2 MB" in response.json()["message"]
