"""Register import into the database, meetings from a file, publication freezing the register."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from core.data.tables import AuditEntry
from core.errors import BadRequest, Conflict, Invalid
from plugins.jurisdictions.national import NATIONAL
from plugins.voting.services.meetings import (
    create_meeting,
    parse_meeting_file,
    publish_meeting,
    validate_meeting,
)
from plugins.voting.services.register import import_register, load_units
from plugins.voting.tables import VotingFrozenUnit, VotingUnit, VotingVoter
from tests.plugins.voting.conftest import encode, meeting_file, register_csv


async def test_import_replaces_the_register_all_or_nothing(db, estate):
    result = await import_register(estate, "E1", register_csv(), "r.csv", "officer")
    assert result == {**result, "units": 7, "area_m2": "490.55"}
    assert len(await load_units((await VotingUnit.select().first())["estate"])) == 7
    with pytest.raises(Invalid) as bad:
        await import_register(
            estate, "E1", register_csv(["9-999,abc,register,O9,某,C9,0"]), "r.csv", "officer"
        )
    assert bad.value.details[0]["row"] == 2 and bad.value.details[0]["code"] == "voting_row_bad_area"
    assert await VotingUnit.count() == 7  # the earlier register is untouched
    smaller = await import_register(
        estate, "E1", register_csv(["1-101,90,register,O1,张三,C1,0"]), "r.csv", "o"
    )
    assert smaller["units"] == 1 and await VotingUnit.count() == 1
    assert await AuditEntry.count().where(AuditEntry.action == "voting.register_import") == 2


async def test_meeting_from_file_and_publication_freezes_the_register(db, estate):
    await import_register(estate, "E1", register_csv(), "r.csv", "officer")
    meeting = await create_meeting(db, estate, "E1", parse_meeting_file(encode(meeting_file())), "officer")
    assert meeting["status"] == "draft" and len(meeting["motions"]) == 3
    assert meeting["motions"][2]["candidates"] == [
        {"id": "c1", "name": "赵一"},
        {"id": "c2", "name": "钱二"},
        {"id": "c3", "name": "孙三"},
    ]
    published = await publish_meeting(db, estate, meeting["meeting"], "officer")
    assert published["status"] == "published"
    assert published["headcount_method"] == "court_rule"  # the national profile
    assert published["voters"] == 4  # 张三 (2 units), 李四 (2), the developer (2 unsold), 王五
    assert len(published["register_digest"]) == 64
    voters = await VotingVoter.select().order_by(VotingVoter.voter_no)
    units_of_first = voters[0]["unit_codes"]
    if isinstance(units_of_first, str):
        units_of_first = json.loads(units_of_first)
    assert units_of_first == ["1-101", "1-102"]
    assert [v["serial"] for v in voters] == ["0001-8", "0002-6", "0003-4", "0004-2"]
    assert sum(v["area_centi"] for v in voters) == 49055
    assert await VotingFrozenUnit.count() == 7
    # a later import cannot touch a published meeting's register
    with pytest.raises(Conflict):
        await import_register(estate, "E1", register_csv(), "r.csv", "officer")
    with pytest.raises(Conflict):
        await publish_meeting(db, estate, meeting["meeting"], "officer")


@pytest.mark.parametrize(
    ("profile", "method", "voters"),
    [
        ("toyland", "court_rule", 4),  # 张三's two units, 李四's two, the developer's two, 王五
        ("toyland-units", "per_unit", 7),
        ("toyland-certs", "per_certificate", 5),  # C1, C2, C3 (two units), the developer, C4
    ],
)
async def test_headcount_rule_follows_the_districts_profile(db, estate, profile, method, voters):
    from core.district_services import choose_jurisdiction

    district = await choose_jurisdiction(db, "test", estate, profile)
    await import_register(district, "E1", register_csv(), "r.csv", "officer")
    meeting = await create_meeting(db, district, "E1", parse_meeting_file(encode(meeting_file())), "officer")
    published = await publish_meeting(db, district, meeting["meeting"], "officer")
    assert (published["headcount_method"], published["voters"]) == (method, voters)
    rows = await VotingVoter.select(VotingVoter.area_centi, VotingVoter.heads)
    assert sum(r["area_centi"] for r in rows) == 49055 and sum(r["heads"] for r in rows) == voters


@pytest.mark.parametrize(
    ("notice_gap", "delivery_gap", "field"),
    [
        (14, 14, "timetable.notice_date"),  # notice published only 14 days before the meeting
        (20, 6, "timetable.delivery_deadline"),  # ballots delivered only 6 days before
    ],
)
async def test_illegal_timetables_are_refused(db, estate, notice_gap, delivery_gap, field):
    data = meeting_file()
    tt = data["timetable"]
    meeting_day = date.fromisoformat(tt["meeting_date"])
    tt["notice_date"] = (meeting_day - timedelta(days=notice_gap)).isoformat()
    tt["delivery_deadline"] = (meeting_day - timedelta(days=delivery_gap)).isoformat()
    with pytest.raises(Invalid) as info:
        await create_meeting(db, estate, "E1", parse_meeting_file(encode(data)), "officer")
    assert [p["field"] for p in info.value.details] == [field]
    assert info.value.details[0]["label"] in {"公告日", "表决票送达期限"}
    assert "日" in info.value.details[0]["message"]


def test_exactly_fifteen_and_seven_days_are_enough():
    data = meeting_file()
    meeting_day = date.fromisoformat(data["timetable"]["meeting_date"])
    data["timetable"]["notice_date"] = (meeting_day - timedelta(days=15)).isoformat()
    data["timetable"]["delivery_deadline"] = (meeting_day - timedelta(days=7)).isoformat()
    assert validate_meeting(parse_meeting_file(encode(data)), NATIONAL) == []


async def test_officials_may_not_be_candidates(db, estate):
    data = meeting_file()
    data["officials"].append({"role": "counter", "name": "钱二"})
    with pytest.raises(Invalid) as info:
        await create_meeting(db, estate, "E1", parse_meeting_file(encode(data)), "officer")
    assert [p["code"] for p in info.value.details] == ["voting_official_is_candidate"]


def test_more_seats_than_candidates_is_refused():
    data = meeting_file()
    election = next(m for m in data["motions"] if m.get("kind") == "election")
    election["seats"] = len(election["candidates"]) + 1
    problems = validate_meeting(parse_meeting_file(encode(data)), NATIONAL)
    assert [p["code"] for p in problems] == ["voting_election_seats_exceed_candidates"]
    assert "候选人不得少于应选人数" in problems[0]["message"]


def test_bad_meeting_files():
    motion_nul = meeting_file()
    motion_nul["motions"][0]["title"] = "选聘\x00物业"
    cases = (
        b"{",
        b"[]",
        encode({"title": "x"}),
        encode({**meeting_file(), "colour": "red"}),
        encode({**meeting_file(), "title": "业主大会\u0000会议"}),
        encode({**meeting_file(), "location": "会所\x1b"}),
        encode(motion_nul),
    )
    for content in cases:
        with pytest.raises(BadRequest) as info:
            parse_meeting_file(content)
        assert info.value.code == "voting_meeting_file"


async def test_publication_needs_a_register_and_officials(db, estate):
    meeting = await create_meeting(db, estate, "E1", parse_meeting_file(encode(meeting_file())), "officer")
    with pytest.raises(BadRequest) as info:
        await publish_meeting(db, estate, meeting["meeting"], "officer")
    assert info.value.code == "voting_publish_no_register"
    no_officials = meeting_file(officials=[])
    other = await create_meeting(db, estate, "E1", parse_meeting_file(encode(no_officials)), "officer")
    await import_register(estate, "E1", register_csv(), "r.csv", "officer")
    with pytest.raises(BadRequest) as info:
        await publish_meeting(db, estate, other["meeting"], "officer")
    assert info.value.code == "voting_publish_no_officials"
