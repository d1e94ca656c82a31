"""The strict list reader: what offices send is read; what would be misread is refused in words."""

from __future__ import annotations

import io
import zipfile

import pytest

from core import BadRequest, map_header, read_rows
from core.testing import xlsx_bytes

HEADER = "unit_code,owner_name\n"


def rows(content: bytes, filename: str = "list.csv") -> list[list[str]]:
    return list(read_rows(content, filename, unreadable="validation_failed", unsupported="x_format"))


def refused(content: bytes, filename: str = "list.csv") -> str:
    with pytest.raises(BadRequest) as caught:
        rows(content, filename)
    assert caught.value.code == "validation_failed"
    return caught.value.message


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"], ids=lambda e: e.replace("-", "")
)
def test_excel_csv_in_every_encoding_an_office_saves(encoding):
    text = "房号,业主姓名\r\n1-101,张三\r\n1-102,李四丰\r\n"
    assert rows(text.encode(encoding)) == [["房号", "业主姓名"], ["1-101", "张三"], ["1-102", "李四丰"]]


def test_a_quoted_cell_may_hold_commas_quotes_and_line_breaks():
    content = (HEADER + '1-101,"张三, ""老张""\n二号"\n').encode()
    assert rows(content)[1] == ["1-101", '张三, "老张"\n二号']


def test_an_unclosed_quote_is_refused_not_swallowed():
    message = refused((HEADER + '1-101,"张三\n1-102,李四\n1-103,王五\n').encode())
    assert "引号" in message


def test_text_after_a_closing_quote_is_refused():
    assert "引号" in refused((HEADER + '1-101,"张三"x\n').encode())


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_are_refused_with_their_row(char):
    message = refused((HEADER + "1-101,张三\n1-102,李" + char + "四\n").encode())
    assert "第 3 行" in message and "控制字符" in message


def test_an_over_long_cell_is_refused_also_past_the_csv_modules_limit():
    assert "4000" in refused((HEADER + "1-101," + "长" * 5000 + "\n").encode())
    assert "超过" in refused((HEADER + "1-101," + "x" * 200_000 + "\n").encode())


def test_an_old_xls_is_refused_with_what_to_do():
    message = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "名册.xls")
    assert ".xlsx" in message and "另存为" in message


def test_bytes_no_encoding_reads_are_refused():
    assert "编码" in refused(b"\x81\x30\x81" + b"\xff" * 20)


def test_xlsx_is_read_whole_and_numbers_come_out_clean():
    assert rows(xlsx_bytes([["房号", "面积"], ["1-101", 89.5], ["1-102", 100]]), "list.xlsx") == [
        ["房号", "面积"],
        ["1-101", "89.5"],
        ["1-102", "100"],
    ]


def _rezip(content: bytes, change: dict[str, bytes | None]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename in change:
                if change[item.filename] is not None:
                    target.writestr(item.filename, change[item.filename])
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


@pytest.mark.parametrize(
    "change",
    [
        {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c"},  # broken sheet XML
        {"xl/worksheets/sheet1.xml": None},  # the sheet is missing
        {"xl/workbook.xml": b"<not-a-workbook/>"},
        {"[Content_Types].xml": None},
    ],
    ids=["broken-sheet-xml", "missing-sheet", "broken-workbook", "no-content-types"],
)
def test_a_damaged_xlsx_is_refused_in_words(change):
    message = refused(_rezip(xlsx_bytes([["房号"], ["1-101"]]), change), "list.xlsx")
    assert "XLSX" in message


def test_a_truncated_xlsx_is_refused():
    content = xlsx_bytes([["房号"], ["1-101"]])
    assert "XLSX" in refused(content[: len(content) // 2], "list.xlsx")


def test_the_header_map_names_unknown_duplicate_and_missing_columns():
    index, problems = map_header(
        ["Unit_Code ", "\ufeffowner_name", "unit_code", "备注", ""],
        ["unit_code", "owner_name", "area_m2"],
        plugin="voting",
    )
    assert index == {"unit_code": 0, "owner_name": 1}
    assert [(p.code, p.column) for p in problems] == [
        ("voting_row_duplicate_column", "unit_code"),
        ("voting_row_unknown_column", "备注"),
        ("voting_row_missing_column", "area_m2"),
    ]
    assert all(p.row == 1 and p.message for p in problems)


def test_the_header_map_reads_chinese_headings_through_aliases():
    index, problems = map_header(
        ["房号", "业主姓名"],
        ["unit_code", "owner_name"],
        plugin="voting",
        aliases={"房号": "unit_code", "业主姓名": "owner_name"},
    )
    assert index == {"unit_code": 0, "owner_name": 1} and problems == []


def test_headings_compare_without_width_case_spaces_or_units():
    from core import header_key

    assert (
        header_key("专有部分面积（㎡）")
        == header_key("专有部分面积(m2)")
        == header_key(" 专有部分面积 ")
        == "专有部分面积"
    )
    assert header_key("ＵＮＩＴ_ＣＯＤＥ") == header_key("unit_code")
    assert header_key("面积/平方米") == "面积" and header_key("area_m2") == "area_m2"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("89.5㎡", "89.5"),
        ("89.50 平方米", "89.50"),
        ("８９．５", "89.5"),
        ("120", "120"),
        ("89.5m²", "89.5"),
        ("89,5", None),
        ("1,234.5", None),
        ("-5", None),
        ("约90", None),
        ("89.5 90", None),
        ("", None),
    ],
)
def test_quantities_as_people_write_them(text, value):
    from core import parse_quantity

    assert parse_quantity(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("是", True),
        ("否", False),
        ("✓", True),
        ("√", True),
        ("×", False),
        ("1", True),
        ("0", False),
        ("未售", True),
        ("已售", False),
        ("", False),
        ("也许", None),
        ("是否", None),
    ],
)
def test_flags_as_people_write_them(text, value):
    from core import parse_flag

    assert parse_flag(text, true=["未售"], false=["已售"]) is value
