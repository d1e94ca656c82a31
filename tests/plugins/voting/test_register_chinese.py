"""A register as an office keeps it: Chinese headings (with units in brackets, full-width), a title
row above the header or a two-row header merged in Excel, GBK CSV from Chinese Windows, and the
values people type (89.5㎡, 是/否, 未售/已售, full-width digits) — or a refusal naming row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from core.testing import login
from plugins.voting.protocol.register import parse_register
from plugins.voting.tables import VotingUnit

CHINESE = "房号,专有部分面积（㎡）,面积来源,业主编号,业主姓名,不动产权证号,开发商未售"
ROWS = [
    "1-101,89.5㎡,不动产登记,O1,张三,沪房2001,否",
    "1-102,８９．５０ 平方米,实测,O1,张三,沪房2002,",
    "1-103,120,合同,DEV,示范置业有限公司,,未售",
    "1-104,75.20,register,O2,李四,沪房2004,√",
]


def _csv(header: str, rows: list[str], encoding: str) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_chinese_headings_and_values_in_every_encoding(encoding):
    text = _csv(CHINESE, ROWS, encoding).decode(encoding)
    assert "㎡" in text and "８" in text  # both exist in GBK: what Excel writes on Chinese Windows
    parsed = parse_register(_csv(CHINESE, ROWS, encoding), "名册.csv")
    assert parsed.ok, parsed.problems
    assert [u.area_centi for u in parsed.units] == [8950, 8950, 12000, 7520]
    assert [u.area_source for u in parsed.units] == ["register", "survey", "contract", "register"]
    assert [u.developer_unsold for u in parsed.units] == [False, False, True, True]


@pytest.mark.parametrize(
    "header",
    [
        "房屋编号,建筑面积(m2),面积来源,权利人证件号,权利人,不动产权证号,建设单位未售",
        "ＵＮＩＴ_ＣＯＤＥ, 专有部分面积 【㎡】 ,面积来源*,业主编号：,业主姓名,不动产权证号,开发商未售",
        "房号,面积（平方米）,面积来源,业主编号,业主姓名",  # the optional columns left out
    ],
)
def test_other_headings_offices_use(header):
    rows = [",".join(r.split(",")[: header.count(",") + 1]) for r in ROWS]
    parsed = parse_register(_csv(header, rows, "utf-8"), "r.csv")
    assert parsed.ok, parsed.problems


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ("89,5", "专有部分面积（㎡）"),  # a decimal comma or a thousands comma: refused, not guessed
        ("1,234.5", "专有部分面积（㎡）"),
        ("89.5 90", "专有部分面积（㎡）"),
        ("约90", "专有部分面积（㎡）"),
    ],
)
def test_an_ambiguous_area_is_refused_with_row_and_column(cell, column):
    rows = [*ROWS[:2], f'1-105,"{cell}",实测,O3,王五,,否']
    parsed = parse_register(_csv(CHINESE, rows, "utf-8"), "r.csv")
    assert [(p.row, p.column, p.code) for p in parsed.problems] == [(4, column, "voting_row_bad_area")]


def test_an_unknown_flag_is_refused_naming_the_column_as_the_file_heads_it():
    parsed = parse_register(_csv(CHINESE, [*ROWS[:1], "1-105,80,实测,O3,王五,,不清楚"], "gbk"), "r.csv")
    assert [(p.row, p.column, p.code) for p in parsed.problems] == [(3, "开发商未售", "voting_row_bad_flag")]
    assert "开发商未售" in parsed.problems[0].message


def _xlsx(rows: list[list[object]], merges: tuple[str, ...] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


DATA = [[*r.split(",")] for r in ROWS]


def test_a_title_row_merged_across_the_sheet_above_the_header():
    content = _xlsx([["示范花园业主名册（2026年12月）"], CHINESE.split(","), *DATA], merges=("A1:G1",))
    parsed = parse_register(content, "名册.xlsx")
    assert parsed.ok, parsed.problems
    bad = _xlsx([["示范花园业主名册"], CHINESE.split(","), *DATA, ["1-105", "-1", "实测", "O3", "王五"]])
    assert [(p.row, p.column) for p in parse_register(bad, "r.xlsx").problems] == [(7, "专有部分面积（㎡）")]


def test_a_two_row_header_with_cells_merged_down():
    top = ["房号", "面积", None, "业主信息", None, "不动产权证号", "开发商未售"]
    bottom = [None, "专有部分面积（㎡）", "面积来源", "业主编号", "业主姓名", None, None]
    content = _xlsx([top, bottom, *DATA], merges=("A1:A2", "B1:C1", "D1:E1", "F1:F2", "G1:G2"))
    parsed = parse_register(content, "名册.xlsx")
    assert parsed.ok, parsed.problems
    assert len(parsed.units) == 4


def test_a_second_header_far_above_is_refused_naming_its_row():
    content = _xlsx([["房号", "业主姓名"], ["说明"], CHINESE.split(","), *DATA])
    problems = parse_register(content, "r.xlsx").problems
    assert problems and problems[0].row == 1 and problems[0].code == "voting_row_header_rows"
    assert "第 1 行" in problems[0].message and "第 3 行" in problems[0].message


async def test_a_gbk_register_with_chinese_headings_imports_over_http(db, client, estate, staff_factory):
    """The issue's case: Excel's CSV on Chinese Windows (GBK) with Chinese headings, through the
    route the console form posts to (its script sends the form as it is)."""
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    response = await client.post(
        "/d/alpha/voting/estates/E1/register",
        files={"data": ("业主名册.csv", _csv(CHINESE, ROWS, "gbk"), "text/csv")},
        headers={"x-csrf-token": csrf},
    )
    assert response.status_code == 201, response.text
    assert response.json()["units"] == 4 and await VotingUnit.count() == 4
    bad = await client.post(
        "/d/alpha/voting/estates/E1/register",
        files={"data": ("名册.csv", _csv(CHINESE, [*ROWS, "1-101,80,实测,O3,王五,,否"], "gbk"), "text/csv")},
        headers={"x-csrf-token": csrf},
    )
    assert bad.status_code == 422 and bad.json()["details"][0]["row"] == 6
    assert bad.json()["details"][0]["column"] == "房号"
    assert await VotingUnit.count() == 4
