"""The console shows the timetable as the district's people read it: the officer typed 17:00 in
Shanghai, the page says 17:00 (not 09:00, the same moment in UTC), the dates in words."""

from __future__ import annotations

import re
from datetime import timedelta

from core.testing import login
from plugins.voting.services.seal import seal_meeting
from tests.plugins.voting.conftest import TODAY, close_voting


async def test_the_meeting_console_shows_the_deadline_in_the_districts_time(
    db, client, open_meeting, staff_factory
):
    await staff_factory("officer", "district_officer", "alpha")
    await login(client, "officer")
    page = (await client.get(f"/d/alpha/voting/meetings/{open_meeting['id']}/console")).text
    closes = re.search(r'<span id="time-voting-closes">([^<]*)</span>', page).group(1)  # type: ignore[union-attr]
    day = TODAY - timedelta(days=20) + timedelta(days=34)  # meeting_file: 20 days to the meeting, 14 more
    assert closes == f"{day.year}年{day.month}月{day.day}日 17:00"
    assert "09:00" not in closes and "+00:00" not in page and "T09:00" not in page
    notice = TODAY - timedelta(days=20)
    assert f'<span id="time-notice-date">{notice.year}年{notice.month}月{notice.day}日</span>' in page

    home = (await client.get("/d/alpha/voting/")).text
    assert f"{notice.year}年{notice.month}月{notice.day}日" in home
    imported = re.search(r'data-estate="E1">.*?(\d{4}年\d+月\d+日 \d{2}:\d{2})', home, flags=re.DOTALL)
    assert imported is not None, "the register's import time, in local time and words"


async def test_the_publication_deadline_is_a_date_in_words(db, client, open_meeting, staff_factory):
    await close_voting(open_meeting)
    await seal_meeting(db, open_meeting["estate"], open_meeting["id"], "officer")
    await staff_factory("officer", "district_officer", "alpha")
    await login(client, "officer")
    page = (await client.get(f"/d/alpha/voting/meetings/{open_meeting['id']}/console")).text
    said = re.search(r'<p [^>]*id="publication"[^>]*>([^<]*)', page).group(1)  # type: ignore[union-attr]
    assert re.search(r"（\d{4}年\d{1,2}月\d{1,2}日 前）", said), said
    assert not re.search(r"\d{4}-\d{2}-\d{2}", said), said
