"""Due dates in working days on both databases: National Day and Spring Festival 2026 with their
make-up working days, and a late-December receipt whose due date falls in 2027 (provisional until a
2027 notice is loaded)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core.calendar.store import load_notice_text
from core.districts import get_district
from core.identity.auth import load_actor
from core.identity.staff import staff_id
from core.testing import wuye_command, wuye_env
from plugins.housing_check.rules.intake import validate_people
from plugins.housing_check.services.entrustments import create_entrustment, list_entrustments
from tests.plugins.housing_check.conftest import id_number, letter

#: A notice file for 2027 in the format of core/calendar/workdays.py, for the test only (not the real notice).
NOTICE_2027 = """
calendar = "cn"
year = 2027
source = "测试用：2027年节假日安排（非真实通知）"
holidays = ["2027-01-01..2027-01-04", "2027-02-05..2027-02-12", "2027-10-01..2027-10-07"]
workdays = ["2027-02-14", "2027-10-09"]
"""


async def _create(db, received: str, number: str, today: date) -> dict:
    district = await get_district("alpha")
    actor = await load_actor(await staff_id("sup"), "session")
    parsed = validate_people(
        [(1, {"household_no": "H1", "name": "张伟", "id_number": id_number(11), "relation": "申请人"})]
    )
    return await create_entrustment(
        district,
        db.jurisdictions.get(district.jurisdiction_code),
        actor,
        letter(received, number),
        parsed,
        today=today,
    )


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-09-30", "2026-10-20"),  # Oct 1–7 off; Saturday Oct 10 is a make-up working day
        ("2026-09-18", "2026-10-09"),  # Sunday Sep 20 is a make-up working day; Sep 25 (Mid-Autumn) off
        ("2026-02-10", "2026-03-02"),  # Feb 15–23 off; Saturdays Feb 14 and Feb 28 are working days
        ("2026-02-13", "2026-03-05"),
    ],
)
async def test_due_dates_across_the_2026_holidays(db, people, received, due):
    created = await _create(db, received, f"L-{received}", date(2026, 11, 23))
    assert created["due_on"] == due
    assert created["provisional"] is False and created["due_note"] == ""


async def test_late_december_receipt_is_provisional_until_2027_is_loaded(db, people):
    created = await _create(db, "2026-12-24", "L-1224", date(2026, 12, 24))
    assert created["due_on"] == "2027-01-08"  # provisional: only Jan 1 is known to be off
    assert created["provisional"] is True and created["provisional_years"] == [2027]
    assert "2027" in created["due_note"] and "暂定" in created["due_note"]

    await load_notice_text(NOTICE_2027, "test")
    district = await get_district("alpha")
    actor = await load_actor(await staff_id("sup"), "session")
    [item] = await list_entrustments(district, actor, db.jurisdictions.get(None), today=date(2026, 12, 31))
    assert item["due_on"] == "2027-01-11"  # Jan 4 off per the notice: one more working day
    assert item["provisional"] is False and item["due_note"] == ""
    assert item["days_left"] == 5  # after Dec 31: Jan 5, 6, 7, 8 and 11 (Jan 1–4 off)
    assert item["state"] == "剩余 5 个工作日"


async def test_due_soon_command(db, people):
    await _create(db, "2026-11-02", "L-OLD", date(2026, 11, 23))  # due 2026-11-16: overdue
    await _create(db, "2026-11-20", "L-NEW", date(2026, 11, 23))  # due 2026-12-04
    await _create(db, "2026-11-23", "L-FRESH", date(2026, 11, 23))  # due 2026-12-07
    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))
    result = wuye_command(
        "housing_check", "due-soon", "--days", "9", "--today", "2026-11-23", "--json", env=env
    )
    data = json.loads(result.stdout)
    assert [(i["letter_no"], i["days_left"], i["overdue"]) for i in data["entrustments"]] == [
        ("L-OLD", -5, True),
        ("L-NEW", 9, False),
    ]
    assert "张伟" not in result.stdout and id_number(11) not in result.stdout  # no personal data
    text = wuye_command("housing_check", "due-soon", "--today", "2026-11-23", env=env).stdout
    assert "【逾期】" in text and "L-OLD" in text and "L-NEW" not in text
    bad = wuye_command("housing_check", "due-soon", "--today", "2026-13-01", env=env, check=False)
    assert bad.returncode == 2 and "日期格式不正确" in bad.stderr
    missing = wuye_command("housing_check", "due-soon", "--district", "nowhere", env=env, check=False)
    assert missing.returncode == 2
