"""Every import error of the household list (CSV and XLSX), reported by row; nothing is saved."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from core.errors import BadRequest
from core.testing import login
from plugins.housing_check.rules.intake import parse_list
from plugins.housing_check.tables import HousingCheckEntrustment, HousingCheckMember
from tests.plugins.housing_check.conftest import HEADER, id_number, list_csv, list_rows
from tests.plugins.housing_check.test_flow import BASE, import_list, today


def codes(content: bytes, filename: str = "l.csv") -> list[tuple[int, str]]:
    return [(p.row, p.code) for p in parse_list(content, filename).problems]


def test_a_good_list_groups_households_applicant_first():
    rows = list_rows()
    rows.insert(0, rows.pop(1))  # the spouse listed before the applicant
    parsed = parse_list(list_csv(rows), "l.csv")
    assert not parsed.problems
    assert [h.household_no for h in parsed.households] == ["H1", "H2"]
    assert [m.relation for m in parsed.households[0].members] == ["申请人", "配偶", "子女"]


def test_xlsx_list():
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in list_rows():
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = parse_list(buffer.getvalue(), "名单.xlsx")
    assert not parsed.problems and len(parsed.households) == 2


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([f"H1,,{id_number(1)},申请人"], [(2, "housing_check_row_blank")]),
        (
            [f"H1,张三,{id_number(1)},"],
            [(2, "housing_check_row_blank")],
        ),
        ([f",张三,{id_number(1)},申请人"], [(2, "housing_check_row_blank")]),
        (["H1,张三,,申请人"], [(2, "housing_check_row_blank")]),
        (["H1,张三,310101198001010010,申请人"], [(2, "housing_check_row_bad_id")]),
        (["H1,张三,ABC,申请人"], [(2, "housing_check_row_bad_id")]),
        ([f"H1,{'张' * 101},{id_number(1)},申请人"], [(2, "housing_check_row_too_long")]),
        (
            [f"H1,张三,{id_number(1)},申请人", f"H1,李四,{id_number(1)},配偶"],
            [(3, "housing_check_row_duplicate_id")],
        ),
        (
            [f"H1,张三,{id_number(1)},申请人", f"H1,李四,{id_number(2)},申请人"],
            [(3, "housing_check_row_two_applicants")],
        ),
        ([f"H1,张三,{id_number(1)},配偶"], [(2, "housing_check_row_no_applicant")]),
        ([], [(2, "housing_check_file_empty")]),
    ],
)
def test_row_errors(rows, expected):
    assert codes(list_csv(rows)) == expected


def test_header_errors():
    assert codes(b"household_no,name,id_number,relation,remark\n") == [
        (1, "housing_check_row_unknown_column")
    ]
    assert codes(b"household_no,name,relation\n") == [(1, "housing_check_row_missing_column")]
    assert codes(b"") == [(1, "housing_check_file_empty")]


def test_file_errors():
    with pytest.raises(BadRequest) as garbage:
        parse_list(HEADER.encode() + b"\nH1,\xff\xfe\xfd\n", "l.csv")
    assert garbage.value.code == "housing_check_file_unreadable"
    with pytest.raises(BadRequest) as broken:
        parse_list(b"PK\x03\x04 not really a zip", "l.xlsx")
    assert broken.value.code == "housing_check_file_unreadable"
    with pytest.raises(BadRequest) as pdf:
        parse_list(b"%PDF", "l.pdf")
    assert pdf.value.code == "housing_check_file_format"


async def test_import_errors_over_http_save_nothing(db, client, people):
    csrf = await login(client, "sup")
    bad_rows = list_rows()
    bad_rows[1] = bad_rows[1].replace("配偶", "申请人")
    bad_rows[3] = "H2,王芳,123,申请人"
    response = await import_list(client, csrf, today(), list_csv(bad_rows))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "housing_check_invalid" and "2 处" in body["message"]
    assert [(d["row"], d["code"]) for d in body["details"]] == [
        (3, "housing_check_row_two_applicants"),
        (5, "housing_check_row_bad_id"),
    ]
    letter_errors = await import_list(
        client, csrf, today(), scheme="rent", letter_no="", received_on="2026-02-30"
    )
    assert letter_errors.status_code == 422
    assert {d["code"] for d in letter_errors.json()["details"]} == {
        "housing_check_bad_scheme",
        "housing_check_field_blank",
        "bad_date",
    }
    future = await import_list(client, csrf, today().replace(year=today().year + 1))
    assert future.json()["details"][0]["code"] == "housing_check_received_future"
    unreadable = await import_list(client, csrf, today(), b"household_no\n\xff\xfe\xfd")
    assert unreadable.status_code == 400 and unreadable.json()["code"] == "housing_check_file_unreadable"
    no_file = await client.post(
        f"{BASE}/entrustments/import",
        data={"letter_no": "x"},
        files={"other": ("a", b"", "text/plain")},
        headers={"x-csrf-token": csrf},
    )
    assert no_file.status_code == 400
    assert await HousingCheckEntrustment.count() == 0 and await HousingCheckMember.count() == 0
    await client.post("/logout", headers={"x-csrf-token": csrf})
    client.cookies.clear()
    csrf = await login(client, "officer_a")  # not a supervisor: may not register letters
    refused = await import_list(client, csrf, today())
    assert refused.status_code == 403 and refused.json()["code"] == "housing_check_not_supervisor"
