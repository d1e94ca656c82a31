"""A bad entrustment list records nothing: named bad lists and mutated ones (bytes and cells, CSV and
XLSX), through the JSON API's import and the console's letter form, give a Chinese refusal (4xx,
``{code, message}`` or the form's page again) and leave the database as it was, row by row; a mutation
that is still a valid list is recorded whole. (The list has no CLI.)"""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.testing import login, xlsx_bytes
from core.testing_mutations import (
    MUTATION_SETTINGS,
    assert_page_refused,
    assert_refused,
    csv_bytes,
    database_rows,
    header_variant,
    mutate,
    mutate_rows,
    rows_file,
)
from plugins.housing_check.messages import HOUSEHOLD_COLUMNS
from plugins.housing_check.rules.intake import parse_list
from plugins.housing_check.tables import HousingCheckEntrustment, HousingCheckMember
from tests.plugins.housing_check.conftest import HEADER, id_number, letter, list_rows
from tests.plugins.housing_check.test_flow import BASE, today

ROWS = [HEADER.split(","), *(row.split(",") for row in list_rows())]
GOOD = csv_bytes(ROWS)
CODES = ("housing_check_", "control_characters")
_letters = itertools.count(1)

#: The bad lists probing found and their kin (the reader's own cases are in tests/core/test_tabular.py).
BAD_FILES = {
    "nul-byte": ("l.csv", GOOD.replace("张伟".encode(), "张\x00伟".encode())),
    "unclosed-quote": ("l.csv", GOOD.replace(b"H2,", b'"H2,', 1)),
    "over-long-cell": ("l.csv", GOOD + ("H3," + "长" * 140_000 + ",x,申请人\n").encode()),
    "utf16-bad-header": ("l.csv", "户号,姓名\nH1,张伟\n".encode("utf-16")),
    "undecodable": ("l.csv", HEADER.encode() + b"\nH1,\xff\xfe\xfd,x,y\n"),
    "old-xls": ("l.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000),
    "truncated-xlsx": ("l.xlsx", xlsx_bytes(ROWS)[:900]),
    "not-a-list": ("l.pdf", b"%PDF-1.4"),
    "empty": ("l.csv", b""),
    "header-only": ("l.csv", (HEADER + "\n").encode()),
    "duplicate-column": ("l.csv", csv_bytes([[*r, r[1]] for r in ROWS])),
    "unknown-column": ("l.csv", csv_bytes([[*r, "x"] for r in ROWS])),
    "missing-column": ("l.csv", csv_bytes([r[:3] for r in ROWS])),
    "bad-id-number": ("l.csv", csv_bytes([*ROWS, ["H3", "赵六", "123", "申请人"]])),
    "two-applicants": ("l.csv", csv_bytes([*ROWS, ["H1", "赵六", id_number(14), "申请人"]])),
    "person-twice": ("l.csv", csv_bytes([*ROWS, ROWS[2]])),
    "gbk-chinese-bad-id": (
        "l.csv",
        csv_bytes([["户号", "姓名", "身份证号", "关系"], ["H1", "张伟", "123", "申请人"]], "gbk"),
    ),
    "bom-chinese-unknown-column": (
        "l.csv",
        "\ufeff".encode() + csv_bytes([["户编号", "姓名", "身份证号码", "关系", "电话"], [*ROWS[1], "1"]]),
    ),
    "gb18030-title-and-two-headers": (
        "l.csv",
        csv_bytes(
            [["户编号", "姓名"], ["名单"], ["户编号", "姓名", "身份证号码", "关系"], ROWS[1]], "gb18030"
        ),
    ),
}


@pytest.fixture
async def supervisor(db, client, people):
    return await login(client, "sup")


def _letter() -> dict[str, str]:
    """A letter with a number of its own, so that a list recorded before does not refuse the next."""
    return letter((today() - timedelta(days=3)).isoformat(), letter_no=f"沪保委〔2026〕{next(_letters)}号")


async def _import(client, csrf: str, name: str, content: bytes):
    return await client.post(
        f"{BASE}/entrustments/import",
        data=_letter(),
        files={"data": (name, content, "application/octet-stream")},
        headers={"x-csrf-token": csrf},
    )


async def _by_form(client, csrf: str, name: str, content: bytes):
    return await client.post(
        f"{BASE}/console/entrustments",
        data={"csrf_token": csrf, **_letter(), "people": ""},
        files={"data": (name, content, "application/octet-stream")},
        headers={"accept": "text/html"},
    )


def _mutated(rng: random.Random) -> tuple[str, bytes]:
    rows = header_variant(ROWS, HOUSEHOLD_COLUMNS, rng) if rng.randrange(2) else ROWS  # 户编号, 身份证号 …
    if rng.randrange(2):
        return rows_file(mutate_rows(rows, rng), rng)
    return "l.csv", mutate(GOOD, rng)


async def _recorded_whole(name: str, content: bytes, entrustments: int, members: int) -> None:
    parsed = parse_list(content, name)
    assert not parsed.problems, parsed.problems
    assert await HousingCheckEntrustment.count() == entrustments + 1
    assert await HousingCheckMember.count() == members + sum(len(h.members) for h in parsed.households)


async def test_bad_lists_through_the_api_and_the_form_are_refused_and_record_nothing(db, client, supervisor):
    for case, (name, content) in sorted(BAD_FILES.items()):
        before = await database_rows(db)
        response = await _import(client, supervisor, name, content)
        assert response.status_code < 500, (case, response.text)
        assert_refused(response, CODES)
        assert await database_rows(db) == before, case
        page = await _by_form(client, supervisor, name, content)
        assert_page_refused(page)
        assert await database_rows(db) == before, case


async def test_a_letter_field_with_a_control_character_in_the_upload_is_refused(db, client, supervisor):
    """The letter's fields travel in the multipart body with the list (not a urlencoded form)."""
    before = await database_rows(db)
    for field in ("letter_no", "entrusting_office"):
        response = await client.post(
            f"{BASE}/entrustments/import",
            data={**_letter(), field: "沪保委\x00〔2026〕1号"},
            files={"data": ("l.csv", GOOD, "text/csv")},
            headers={"x-csrf-token": supervisor},
        )
        assert_refused(response, "control_characters")
        assert await database_rows(db) == before, field


@given(rng=st.randoms(use_true_random=False), form=st.booleans())
@MUTATION_SETTINGS
async def test_a_mutated_list_is_refused_whole_or_recorded_whole(db, client, supervisor, rng, form):
    before = await database_rows(db)
    entrustments, members = await HousingCheckEntrustment.count(), await HousingCheckMember.count()
    name, content = _mutated(rng)
    response = await (_by_form if form else _import)(client, supervisor, name, content)
    assert response.status_code < 500, response.text
    if response.status_code in (201, 303):
        await _recorded_whole(name, content, entrustments, members)
        return
    if form:
        assert_page_refused(response)
    else:
        assert_refused(response, CODES)
    assert await database_rows(db) == before
