"""A bad count sheet enters no paper ballot: named bad sheets and mutated ones (bytes and cells, CSV
and XLSX), over HTTP (the count-sheet upload) and ``wuye voting paper import``, give a Chinese refusal
(4xx / exit 2, no traceback) and leave the database as it was, row by row; a mutation that is still
a valid sheet is entered whole."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
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
from plugins.voting.messages import count_sheet_columns
from plugins.voting.tables import VotingPaperBallot
from tests.plugins.voting.conftest import PASSPHRASE
from tests.plugins.voting.test_paper import close_voting, serials

HEADER = ["serial", "1", "2", "3"]
COLUMNS = count_sheet_columns([(1, "", ""), (2, "", ""), (3, "", "")])


def sheet_rows(numbers: list[str]) -> list[list[str]]:
    choices = [["同意", "反对", "赵一"], ["反对", "弃权", "钱二;孙三"], ["agree", "oppose", ""]]
    return [HEADER, *([n, *choices[i % 3]] for i, n in enumerate(numbers))]


def bad_files(numbers: list[str]) -> dict[str, tuple[str, bytes]]:
    good = csv_bytes(sheet_rows(numbers))
    rows = sheet_rows(numbers)
    return {
        "nul-byte": ("c.csv", good.replace(b"\xe5\x90\x8c", b"\x00\xe5\x90\x8c", 1)),
        "unclosed-quote": ("c.csv", good.replace(numbers[0].encode(), b'"' + numbers[0].encode(), 1)),
        "over-long-cell": ("c.csv", good + f"{numbers[0]},{'同' * 140_000},,\n".encode()),
        "utf16-bad-header": ("c.csv", "编号,议题一\n1,同意\n".encode("utf-16")),
        "old-xls": ("c.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000),
        "truncated-xlsx": ("c.xlsx", xlsx_bytes(rows)[:900]),
        "not-a-sheet": ("c.pdf", b"%PDF-1.4"),
        "empty": ("c.csv", b""),
        "header-only": ("c.csv", csv_bytes([HEADER])),
        "duplicate-motion-column": ("c.csv", csv_bytes([[*r, r[1]] for r in rows])),
        "unknown-column": ("c.csv", csv_bytes([[*r, "x"] for r in rows])),
        "missing-motion": ("c.csv", csv_bytes([r[:3] for r in rows])),
        "no-serial": ("c.csv", csv_bytes([r[1:] for r in rows])),
        "bad-option": ("c.csv", csv_bytes([*rows[:2], [numbers[1], "maybe", "同意", ""]])),
        "serial-twice": ("c.csv", csv_bytes([*rows, rows[1]])),
        "unknown-serial": ("c.csv", csv_bytes([*rows, ["0000-0", "同意", "同意", ""]])),
        "too-many-candidates": ("c.csv", csv_bytes([HEADER, [numbers[0], "同意", "同意", "赵一;钱二;孙三"]])),
        "gbk-chinese-unknown-column": (
            "c.csv",
            csv_bytes(
                [["表决票编号", "议题1", "议题2", "议题3", "备注"], [numbers[0], "同意", "同意", "", "x"]],
                "gbk",
            ),
        ),
        "bom-chinese-missing-motion": (
            "c.csv",
            "\ufeff".encode() + csv_bytes([["表决票编号", "议题1", "议题2"], [numbers[0], "同意", "同意"]]),
        ),
        "gb18030-chinese-bad-option": (
            "c.csv",
            csv_bytes([["编号", "第1项", "第2项", "第3项"], [numbers[0], "大概同意", "同意", ""]], "gb18030"),
        ),
    }


@pytest.fixture
async def counting(db, client, open_meeting, scrutineer_key, staff_factory):
    """A meeting whose voting has closed, one paper sheet already entered, and the counter's token."""
    await staff_factory("counter_a", "district_officer", "alpha")
    csrf = await login(client, "counter_a")
    await close_voting(open_meeting)
    numbers = await serials(open_meeting)
    first = await _upload(client, open_meeting, csrf, "c.csv", csv_bytes(sheet_rows(numbers[:1])))
    assert first.status_code == 201, first.text
    return {"meeting": open_meeting["id"], "csrf": csrf, "numbers": numbers[1:]}


async def _upload(client, meeting: dict | str, csrf: str, name: str, content: bytes):
    public_id = meeting if isinstance(meeting, str) else meeting["id"]
    return await client.post(
        f"/d/alpha/voting/meetings/{public_id}/count-sheet",
        files={"file": (name, content, "application/octet-stream")},
        data={"scrutineer": "周监票", "passphrase": PASSPHRASE},
        headers={"x-csrf-token": csrf},
    )


async def _take_back(entered_before: list[int]) -> None:
    """Undo a sheet that was valid and entered (its audit entry stays): the next file meets the same
    paper ballots."""
    await VotingPaperBallot.delete().where(VotingPaperBallot.id.not_in(entered_before or [0]))


async def _entered() -> list[int]:
    return [r["id"] for r in await VotingPaperBallot.select(VotingPaperBallot.id)]


def _mutated(numbers: list[str], rng: random.Random) -> tuple[str, bytes]:
    rows = sheet_rows(numbers)
    if rng.randrange(2):  # 表决票编号, 议题1, motion_2 …, a title row above: as offices head it
        rows = header_variant(rows, COLUMNS, rng)
    if rng.randrange(2):
        return rows_file(mutate_rows(rows, rng), rng)
    return "c.csv", mutate(csv_bytes(rows), rng)


async def test_bad_count_sheets_over_http_are_refused_and_enter_nothing(db, client, counting):
    for case, (name, content) in sorted(bad_files(counting["numbers"]).items()):
        before = await database_rows(db)
        response = await _upload(client, counting["meeting"], counting["csrf"], name, content)
        assert response.status_code < 500, (case, response.text)
        assert_refused(response, "voting_")
        assert await database_rows(db) == before, case


@given(rng=st.randoms(use_true_random=False))
@MUTATION_SETTINGS
async def test_a_mutated_count_sheet_over_http_is_refused_whole_or_entered_whole(db, client, counting, rng):
    entered = await _entered()
    before = await database_rows(db)
    name, content = _mutated(counting["numbers"], rng)
    response = await _upload(client, counting["meeting"], counting["csrf"], name, content)
    assert response.status_code < 500, response.text
    if response.status_code == 201:
        assert len(await _entered()) == len(entered) + response.json()["entered"]
        await _take_back(entered)
        return
    assert_refused(response, "voting_")
    assert await database_rows(db) == before


async def test_bad_and_mutated_count_sheets_on_the_cli_exit_2_in_chinese_and_enter_nothing(
    db, counting, tmp_path
):
    rng = random.Random(20261203)
    files = {f"{case}-{name}": content for case, (name, content) in bad_files(counting["numbers"]).items()}
    for n in range(10):
        name, content = _mutated(counting["numbers"], rng)
        files[f"mutated-{n}-{name}"] = content

    async def entered(name, content, result, before, wuye):  # still a valid sheet: entered whole
        assert "已录入" in result.stdout
        await _take_back([int(dict(row)["id"]) for row in before["voting_paper_ballot"]])

    refused = await cli_refuses_or_takes_whole(
        db,
        tmp_path,
        files,
        lambda path: [
            "voting",
            "paper",
            "import",
            "-m",
            counting["meeting"],
            "--scrutineer",
            "周监票",
            "--passphrase",
            PASSPHRASE,
            str(path),
        ],
        taken_whole=entered,
    )
    assert refused >= len(files) - 10 + 4
