"""The morning board and the meeting page while voting is open: each meeting's next deadline, and the
turnout so far by area and by headcount against the quorum — participation only, never the choices."""

from __future__ import annotations

import re
from datetime import timedelta

from core.testing import login, office_today
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.turnout import turnout
from plugins.voting.tables import VotingMeeting
from tests.plugins.voting.conftest import choices, make_ballot, post, signed


async def cast(client, meeting: dict, index: int) -> None:
    seed = meeting["seeds"][index]
    ballot = make_ballot(meeting, seed, choices("agree", "oppose", ["c1"]))
    response = await post(client, meeting, signed(meeting, seed, ballot))
    assert response.status_code == 201, response.text


async def test_turnout_counts_area_and_heads_against_the_quorum_exactly(db, client, open_meeting):
    row = await get_meeting(open_meeting["id"])
    empty = await turnout(row)
    assert empty["taking_part"] == 0 and not empty["met"] and empty["quorum_percent"] == 66.7
    await cast(client, open_meeting, 0)  # 张三: 170 m² of 490.55, 1 of 4 owners
    one = await turnout(await get_meeting(open_meeting["id"]))
    area, heads = one["measures"]
    assert (area["part"], area["whole"], heads["part"], heads["whole"]) == (17000, 49055, 1, 4)
    assert not one["met"] and "170.00 / 490.55" in area["words"]
    await cast(client, open_meeting, 1)  # 李四: 130 m²
    await cast(client, open_meeting, 2)  # the developer: 90 m² — 390 of 490.55 (79.5 %), 3 of 4
    three = await turnout(await get_meeting(open_meeting["id"]))
    assert three["met"] and [m["met"] for m in three["measures"]] == [True, True]
    assert three["summary"] == "参与表决的面积和人数均已达到法定要求"


async def test_the_board_and_the_meeting_page_show_the_open_vote(db, client, open_meeting, staff_factory):
    await staff_factory("officer", "district_officer", "alpha")
    await staff_factory("member", "committee_member", "alpha", "E1")
    await cast(client, open_meeting, 0)
    await login(client, "officer")
    page = (await client.get("/d/alpha")).text
    board = page[page.index('id="board"') : page.index("</table>", page.index('id="board"'))]
    assert "表决截止" in board and "已参与 1 / 4 名表决人" in board and "尚未达到法定要求" in board
    assert f"/d/alpha/voting/meetings/{open_meeting['id']}/console" in board
    start = page.index('data-panel="voting"')
    panel = page[start : page.index("</section>", start)]
    assert "<svg" in panel and "法定 66.7%" in panel and 'data-met="no"' in panel
    assert "专有部分面积 34.7%" in panel and "业主人数 25.0%" in panel
    for choice_word in ("同意", "反对", "赵一"):  # never how anyone voted
        assert choice_word not in panel
    console = (await client.get(f"/d/alpha/voting/meetings/{open_meeting['id']}/console")).text
    assert "表决进度" in console and "已参与 1 / 4 名表决人" in console
    # the committee member of the estate sees the same board entry and panel
    client.cookies.clear()
    await login(client, "member")
    assert 'data-panel="voting"' in (await client.get("/d/alpha")).text


async def test_the_board_names_each_stage_and_puts_the_overdue_first(db, client, open_meeting, staff_factory):
    await staff_factory("officer", "district_officer", "alpha")
    await login(client, "officer")
    today = office_today()
    # closed: the count is due on the count day (put yesterday: overdue)
    await VotingMeeting.update(
        {VotingMeeting.status: "closed", VotingMeeting.count_date: today - timedelta(days=1)}
    ).where(VotingMeeting.public_id == open_meeting["id"])
    page = (await client.get("/d/alpha")).text
    rows = re.findall(r'<tr data-level="(\w+)" data-plugin="(\w+)">', page)
    assert rows == [("overdue", "voting")]
    assert "唱票、计票并封存结果" in page and "已逾期" in page
    assert 'data-panel="voting"' not in page  # no longer open
