"""A bad register file never changes the register: named bad files and mutated ones, over HTTP and the
CLI, give a Chinese refusal (4xx / exit 2, no traceback) and leave every row as it was."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.testing import login, xlsx_bytes
from core.testing_mutations import (
    MUTATION_SETTINGS,
    assert_refused,
    cli_refuses_or_takes_whole,
    csv_bytes,
    database_rows,
    header_variant,
    mutate,
    mutate_rows,
    rows_file,
)
from plugins.voting.messages import REGISTER_COLUMNS
from plugins.voting.protocol.register import RegisterFileError, parse_register
from plugins.voting.tables import VotingUnit
from tests.plugins.voting.conftest import HEADER, REGISTER_ROWS, register_csv

GOOD = register_csv(REGISTER_ROWS[:3])


def _broken_sheet(content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<worksheet><sheetData><row" if "sheet1" in item.filename else data)
    return out.getvalue()


_GOOD_XLSX = xlsx_bytes([HEADER.split(","), *[row.split(",") for row in REGISTER_ROWS[:3]]])

#: The bad files probing found (each replaced the register or crashed before), and their kin.
BAD_FILES = {
    "duplicate-header": (
        "r.csv",
        (HEADER + ",unit_code\n" + "\n".join(r + ",X" for r in REGISTER_ROWS)).encode(),
    ),
    "nul-byte": ("r.csv", GOOD.replace(b"O2", b"O\x002")),
    "unclosed-quote": ("r.csv", GOOD.replace(b"1-101,", b'"1-101,', 1)),
    "over-long-field": ("r.csv", GOOD + ("1-999,1,register,O9," + "长" * 140_000 + ",,0\n").encode()),
    "utf16-bad-header": ("r.csv", "房号,面积\n1-101,90\n".encode("utf-16")),
    "old-xls": ("r.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000),
    "broken-xlsx-xml": ("r.xlsx", _broken_sheet(_GOOD_XLSX)),
    "truncated-xlsx": ("r.xlsx", _GOOD_XLSX[:900]),
    "not-a-list": ("r.pdf", b"%PDF-1.4"),
    "empty": ("r.csv", b""),
    "header-only": ("r.csv", (HEADER + "\n").encode()),
    "gbk-chinese-ambiguous-area": (
        "r.csv",
        csv_bytes(
            [
                ["房号", "建筑面积（㎡）", "面积来源", "业主编号", "业主姓名"],
                ["1-101", "89,5", "实测", "O1", "张三"],
            ],
            "gbk",
        ),
    ),
    "bom-chinese-unknown-column": (
        "r.csv",
        "\ufeff".encode()
        + csv_bytes(
            [
                ["房号", "面积", "面积来源", "业主编号", "业主姓名", "楼层"],
                ["1-101", "89", "实测", "O1", "张三", "1"],
            ]
        ),
    ),
    "gb18030-chinese-bad-flag": (
        "r.csv",
        csv_bytes(
            [
                ["房号", "面积", "面积来源", "业主编号", "业主姓名", "开发商未售"],
                ["1-101", "89", "实测", "O1", "张三", "不详"],
            ],
            "gb18030",
        ),
    ),
    "two-header-rows-apart": (
        "r.xlsx",
        xlsx_bytes(
            [["房号", "业主姓名"], ["说明"], HEADER.split(","), *[r.split(",") for r in REGISTER_ROWS[:3]]]
        ),
    ),
}

_ROWS = [HEADER.split(","), *[row.split(",") for row in REGISTER_ROWS[:3]]]


@given(st.binary(max_size=400), st.integers(0, 2**32 - 1))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_parser_refuses_or_accepts_whole_files_never_crashes(noise, seed):
    rng = random.Random(seed)
    for content in (noise, mutate(GOOD, rng), mutate(_GOOD_XLSX, rng)):
        for name in ("r.csv", "r.xlsx"):
            try:
                parsed = parse_register(content, name)
            except RegisterFileError as exc:
                assert exc.message and exc.code.startswith("voting_register_")
                continue
            assert parsed.ok or (parsed.problems and not parsed.units)
            for problem in parsed.problems:
                assert problem.code.startswith("voting_") and problem.message


@pytest.fixture
async def imported(db, client, estate, staff_factory):
    """An estate whose register holds three units, and an officer's CSRF token."""
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    first = await client.post(
        "/d/alpha/voting/estates/E1/register",
        files={"data": ("r.csv", GOOD, "text/csv")},
        headers={"x-csrf-token": csrf},
    )
    assert first.status_code == 201 and first.json()["units"] == 3
    estate_id = (await VotingUnit.select(VotingUnit.estate).first())["estate"]
    return csrf, estate_id


async def _upload(client, csrf: str, name: str, content: bytes):
    return await client.post(
        "/d/alpha/voting/estates/E1/register",
        files={"data": (name, content, "application/octet-stream")},
        headers={"x-csrf-token": csrf},
    )


@pytest.mark.parametrize("case", sorted(BAD_FILES))
async def test_a_bad_register_upload_is_refused_and_changes_nothing(db, client, imported, case):
    csrf, _ = imported
    before = await database_rows(db)
    name, content = BAD_FILES[case]
    assert_refused(await _upload(client, csrf, name, content), "voting_")
    assert await database_rows(db) == before


async def test_mutated_register_uploads_never_fail_the_server_or_half_change_the_register(
    db, client, imported
):
    csrf, _ = imported
    rng = random.Random(20261202)
    before = await database_rows(db)
    refused = 0
    for n in range(40):
        name, source = ("r.xlsx", _GOOD_XLSX) if n % 4 == 3 else ("r.csv", GOOD)
        response = await _upload(client, csrf, name, mutate(source, rng))
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            refused += 1
            assert_refused(response, "voting_")
            assert await database_rows(db) == before
        else:  # a harmless change (a digit of an area, say): a whole valid register replaced the old
            restored = await _upload(client, csrf, "r.csv", GOOD)
            assert restored.status_code == 201
            before = await database_rows(db)
    assert refused >= 20


@given(rng=st.randoms(use_true_random=False))
@MUTATION_SETTINGS
async def test_a_register_headed_as_offices_head_it_and_mutated_is_refused_or_taken_whole(
    db, client, imported, rng
):
    """Chinese headings (房号, 建筑面积（㎡）, 权利人 …, full-width, a title row), in XLSX or CSV in
    UTF-8, UTF-8 with BOM, GBK or UTF-16, with mutated cells: a Chinese 4xx and nothing changed, or the
    whole file taken."""
    csrf, _ = imported
    before = await database_rows(db)
    rows = header_variant(_ROWS, REGISTER_COLUMNS, rng)
    name, content = rows_file(mutate_rows(rows, rng) if rng.randrange(2) else rows, rng)
    response = await _upload(client, csrf, name, content)
    assert response.status_code < 500, response.text
    if response.status_code == 201:
        assert await VotingUnit.count() == response.json()["units"]
        return
    assert_refused(response, "voting_")
    assert await database_rows(db) == before


async def test_bad_and_mutated_register_files_on_the_cli_exit_2_in_chinese_and_change_nothing(
    db, imported, tmp_path
):
    rng = random.Random(20261203)
    files = {f"{case}-{name}": content for case, (name, content) in BAD_FILES.items()}
    files.update({f"mutated-{n}.csv": mutate(GOOD, rng) for n in range(12)})
    (tmp_path / "good.csv").write_bytes(GOOD)

    async def imported(name, content, result, before, wuye):  # still valid: taken whole
        assert "已导入" in result.stdout
        restored = wuye.run("voting", "register", "import", "-e", "E1", str(tmp_path / "good.csv"))
        assert restored.returncode == 0, restored.stderr

    refused = await cli_refuses_or_takes_whole(
        db,
        tmp_path,
        files,
        lambda path: ["voting", "register", "import", "-e", "E1", str(path)],
        taken_whole=imported,
    )
    assert refused >= len(BAD_FILES) + 6
