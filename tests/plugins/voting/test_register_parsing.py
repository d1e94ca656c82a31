"""Reading a register: every format, every error with its row, and nothing on any error."""

from __future__ import annotations

import pytest

from core.testing import xlsx_bytes as make_xlsx
from plugins.voting.protocol.register import COLUMNS, RegisterFileError, parse_register

HEADER = ",".join(COLUMNS)
GOOD = [
    "1-1-101,89.50,register,O1,张三,沪房2001,0",
    "1-1-102,90,survey,O2,李四,沪房2002,0",
    "1-1-201,120.05,contract,O1,张三,沪房2003,0",
    "1-1-202,75.2,register,DEV,示范置业有限公司,,1",
]


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    return make_xlsx([list(COLUMNS), *rows])


@pytest.mark.parametrize("bom", [False, True])
def test_csv_with_or_without_bom(bom):
    parsed = parse_register(csv_bytes(*GOOD, bom=bom), "register.csv")
    assert parsed.ok, parsed.problems
    assert [u.unit_code for u in parsed.units] == ["1-1-101", "1-1-102", "1-1-201", "1-1-202"]
    assert [u.area_centi for u in parsed.units] == [8950, 9000, 12005, 7520]
    assert parsed.units[3].developer_unsold and not parsed.units[0].developer_unsold


def test_xlsx_with_numbers_as_numbers():
    content = xlsx_bytes(
        [
            ["1-1-101", 89.5, "register", "O1", "张三", "沪房2001", 0],
            ["1-1-102", 89.55, "survey", "O2", "李四", "", 1],
        ]
    )
    parsed = parse_register(content, "register.xlsx")
    assert parsed.ok, parsed.problems
    assert [u.area_centi for u in parsed.units] == [8950, 8955]
    assert parsed.units[1].developer_unsold


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        ("1-1-101,89.50,register,O9,王五,X,0", "unit_code", "voting_row_duplicate_unit"),
        ("1-1-301,0,register,O3,王五,X,0", "area_m2", "voting_row_bad_area"),
        ("1-1-301,-5,register,O3,王五,X,0", "area_m2", "voting_row_bad_area"),
        ("1-1-301,89.505,register,O3,王五,X,0", "area_m2", "voting_row_bad_area"),
        ("1-1-301,1e3,register,O3,王五,X,0", "area_m2", "voting_row_bad_area"),
        ("1-1-301,八十,register,O3,王五,X,0", "area_m2", "voting_row_bad_area"),
        ("1-1-301,80,guess,O3,王五,X,0", "area_source", "voting_row_unknown_source"),
        ("1-1-301,80,register,O3,,X,0", "owner_name", "voting_row_blank"),
        ("1-1-301,80,register,,王五,X,0", "owner_key", "voting_row_blank"),
        (",80,register,O3,王五,X,0", "unit_code", "voting_row_blank"),
        ("1-1-301,80,register,O3,王五,X,也许", "developer_unsold", "voting_row_bad_flag"),
    ],
)
def test_each_bad_row_is_reported_with_its_row_and_nothing_is_kept(row, column, code):
    parsed = parse_register(csv_bytes(*GOOD, row), "register.csv")
    assert not parsed.ok and parsed.units == []
    assert [(p.row, p.column, p.code) for p in parsed.problems] == [(6, column, code)]
    assert parsed.problems[0].message  # Chinese text for the office


def test_all_problems_are_listed_not_just_the_first():
    parsed = parse_register(
        csv_bytes(GOOD[0], "1-1-101,0,guess,,,,2", "1-1-102,abc,register,O2,李四,,0"), "r.csv"
    )
    rows = sorted({(p.row, p.code) for p in parsed.problems})
    assert (3, "voting_row_duplicate_unit") in rows and (3, "voting_row_bad_area") in rows
    assert (3, "voting_row_unknown_source") in rows and (3, "voting_row_blank") in rows
    assert (3, "voting_row_bad_flag") in rows and (4, "voting_row_bad_area") in rows


def test_header_problems():
    missing = parse_register(
        csv_bytes(
            *GOOD[:1], header="unit_code,area_m2,area_source,owner_key,certificate_no,developer_unsold"
        ),
        "r.csv",
    )
    assert [(p.row, p.code, p.column) for p in missing.problems] == [
        (1, "voting_row_missing_column", "业主姓名")  # named by its Chinese heading
    ]
    unknown = parse_register(csv_bytes(GOOD[0] + ",x", header=HEADER + ",floor"), "r.csv")
    assert [(p.code, p.column) for p in unknown.problems] == [("voting_row_unknown_column", "floor")]


def test_empty_and_unreadable_files():
    assert parse_register(b"", "r.csv").problems[0].code == "voting_register_empty"
    assert parse_register(csv_bytes(), "r.csv").problems[0].code == "voting_register_empty"
    gbk = parse_register("unit_code,楼层".encode("gbk"), "r.csv")  # Excel's CSV on Chinese Windows: read
    assert ("voting_row_unknown_column", "楼层") in [(p.code, p.column) for p in gbk.problems]
    with pytest.raises(RegisterFileError) as garbage:
        parse_register(b"unit_code\n\xff\xfe\xfd", "r.csv")
    assert "编码" in garbage.value.message
    with pytest.raises(RegisterFileError):
        parse_register(b"PK\x03\x04 not really a zip", "r.xlsx")
    with pytest.raises(RegisterFileError):
        parse_register(b"whatever", "r.pdf")


def test_blank_trailing_lines_are_ignored():
    parsed = parse_register(csv_bytes(*GOOD, ",,,,,,", ""), "r.csv")
    assert parsed.ok and len(parsed.units) == 4
