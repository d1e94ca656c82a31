"""A bad meeting file creates nothing: named bad files and mutated ones (bytes and structure), over
HTTP (``data: MeetingIn``) and ``wuye voting meeting create``, give a Chinese refusal (4xx / exit 2,
no traceback) and leave the database as it was, row by row; a mutation that is still a valid meeting
file makes one whole meeting."""

from __future__ import annotations

import copy
import json
import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.testing import login
from core.testing_mutations import (
    MUTATION_SETTINGS,
    assert_refused,
    cli_refuses_or_takes_whole,
    database_rows,
    mutated_json_file,
)
from plugins.voting.tables import VotingMeeting, VotingMotion
from tests.plugins.voting.conftest import TODAY, meeting_file

GOOD = meeting_file(TODAY)
#: what an HTTP refusal of a meeting file may be called: the plugin's codes, or the core's for a body
#: it refuses before the route (control characters, a body too large)
CODES = ("voting_", "control_characters", "request_", "invalid_json")


def _changed(change) -> bytes:
    data = copy.deepcopy(GOOD)
    change(data)
    return json.dumps(data, ensure_ascii=False).encode()


def _reversed_dates(data: dict) -> None:
    tt = data["timetable"]
    tt["notice_date"], tt["count_date"] = tt["count_date"], tt["notice_date"]


def _past(data: dict) -> None:
    tt = data["timetable"]
    for key in ("notice_date", "delivery_deadline", "meeting_date", "count_date"):
        tt[key] = (date.fromisoformat(tt[key]) - timedelta(days=400)).isoformat()


#: The bad meeting files probing found (each was accepted or crashed before) and their kin.
BAD_FILES = {
    "not-json": b"{title: 1",
    "empty": b"",
    "a-list": b"[]",
    "utf16": json.dumps(GOOD, ensure_ascii=False).encode("utf-16"),
    "nul-in-title": _changed(lambda d: d.update(title="示范\x00花园")),
    "escaped-nul-in-title": _changed(lambda d: d.update(title="示范\u0000花园")).replace(b"\x00", b"\\u0000"),
    "control-in-location": _changed(lambda d: d.update(location="会所\x1b[31m")),
    "huge-title": _changed(lambda d: d.update(title="长" * 100_000)),
    "seats-over-candidates": _changed(lambda d: d["motions"][2].update(seats=5)),
    "no-candidates": _changed(lambda d: d["motions"][2].update(candidates=[])),
    "negative-seats": _changed(lambda d: d["motions"][2].update(seats=-1)),
    "seats-as-text": _changed(lambda d: d["motions"][2].update(seats="2")),
    "dates-reversed": _changed(_reversed_dates),
    "dates-in-the-past": _changed(_past),
    "bad-date": _changed(lambda d: d["timetable"].update(meeting_date="2026-02-30")),
    "no-timetable": _changed(lambda d: d.pop("timetable")),
    "no-motions": _changed(lambda d: d.update(motions=[])),
    "motion-a-string": _changed(lambda d: d.update(motions=["续聘"])),
    "unknown-matter": _changed(lambda d: d["motions"][0].update(matter="sell_estate")),
    "extra-key": _changed(lambda d: d.update(owner="x")),
    "title-a-number": _changed(lambda d: d.update(title=2027)),
    "unknown-official-role": _changed(lambda d: d["officials"].append({"role": "boss", "name": "某"})),
}
#: Refused by the CLI's strict reading, read over HTTP in msgspec's lax mode as Litestar decodes every
#: body (core/web/bodies.py): "2" is taken for 2.
LAX_OVER_HTTP = {"seats-as-text"}


@pytest.fixture
async def officer(db, client, estate, staff_factory):
    await staff_factory("officer_a", "district_officer", "alpha")
    return await login(client, "officer_a")


async def _create(client, csrf: str, content: bytes):
    return await client.post(
        "/d/alpha/voting/estates/E1/meetings",
        content=content,
        headers={"x-csrf-token": csrf, "content-type": "application/json"},
    )


async def _one_whole_meeting_more(before: int) -> None:
    meetings = await VotingMeeting.select(VotingMeeting.id).order_by(VotingMeeting.id)
    assert len(meetings) == before + 1
    assert await VotingMotion.count().where(VotingMotion.meeting == meetings[-1]["id"]) >= 1


async def test_bad_meeting_files_over_http_are_refused_and_create_nothing(db, client, officer):
    for case in sorted(set(BAD_FILES) - LAX_OVER_HTTP):
        before = await database_rows(db)
        response = await _create(client, officer, BAD_FILES[case])
        assert response.status_code < 500, (case, response.text)
        assert_refused(response, CODES)
        assert await database_rows(db) == before, case


@given(rng=st.randoms(use_true_random=False))
@MUTATION_SETTINGS
async def test_a_mutated_meeting_file_over_http_is_refused_whole_or_taken_whole(db, client, officer, rng):
    before = await database_rows(db)
    meetings = await VotingMeeting.count()
    response = await _create(client, officer, mutated_json_file(GOOD, rng))
    assert response.status_code < 500, response.text
    if response.status_code == 201:
        await _one_whole_meeting_more(meetings)
        return
    assert_refused(response, CODES)
    assert await database_rows(db) == before


async def test_bad_and_mutated_meeting_files_on_the_cli_exit_2_in_chinese_and_create_nothing(
    db, estate, tmp_path
):
    rng = random.Random(20261203)
    files = {f"{case}.json": content for case, content in BAD_FILES.items()}
    files.update({f"mutated-{n}.json": mutated_json_file(GOOD, rng) for n in range(12)})

    async def created(name, content, result, before, wuye):  # still a valid meeting file
        assert "已创建" in result.stdout
        await _one_whole_meeting_more(len(before["voting_meeting"]))

    refused = await cli_refuses_or_takes_whole(
        db,
        tmp_path,
        files,
        lambda path: ["voting", "meeting", "create", "-e", "E1", str(path)],
        taken_whole=created,
    )
    assert refused >= len(BAD_FILES) + 6
