"""The meetings list of the voting console: search, filters, sortable headings and pages."""

from __future__ import annotations

import re

from core.testing import login
from plugins.voting.services.meetings import create_meeting, parse_meeting_file
from plugins.voting.services.register import import_register
from tests.plugins.voting.conftest import encode, meeting_file, register_csv


async def test_the_meetings_list_searches_filters_and_sorts(db, client, estate, staff_factory):
    await import_register(estate, "E1", register_csv(), "r.csv", "officer")
    for title in ("示范花园续聘物业会议", "示范花园电梯更新会议", "示范花园业委会选举会议"):
        await create_meeting(db, estate, "E1", parse_meeting_file(encode(meeting_file(title=title))), "o")
    await staff_factory("officer", "district_officer", "alpha")
    await login(client, "officer")
    page = (await client.get("/d/alpha/voting/")).text
    assert 'id="meetings-controls"' in page and "共 3 条" in page
    assert len(re.findall(r'<tr data-meeting="', page)) == 3
    found = (await client.get("/d/alpha/voting/", params={"q": "电梯"})).text
    rows = re.findall(r'<tr data-meeting="[^"]+"><td><a [^>]+>([^<]+)</a>', found)
    assert rows == ["示范花园电梯更新会议"] and "符合条件的 1 条" in found and "清除条件" in found
    drafts = (await client.get("/d/alpha/voting/", params={"status": "draft", "sort": "title"})).text
    titles = re.findall(r'<tr data-meeting="[^"]+"><td><a [^>]+>([^<]+)</a>', drafts)
    assert titles == sorted(titles) and len(titles) == 3
    assert 'aria-sort="ascending"' in drafts
    none = (await client.get("/d/alpha/voting/", params={"status": "sealed"})).text
    assert "没有符合条件的记录" in none
