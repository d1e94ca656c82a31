"""Working days: official 2026 schedule, make-up days, the provisional fallback and loaded notices."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core.calendar.workdays import WorkCalendar, parse_date, parse_notice, schedule_from_row, schedule_to_row
from core.errors import WuyeError
from core.jurisdiction import Deadline, Source
from core.testing import wuye_command, wuye_env

CAL = WorkCalendar()

# Test data only: the real 2027 notice was not published when this was written.
TEST_NOTICE_2027 = """
calendar = "cn"
year = 2027
source = "测试用：2027年部分节假日安排（虚构）"
holidays = ["2027-01-01", "2027-02-05..2027-02-11", "2027-10-01..2027-10-07"]
workdays = ["2027-01-02", "2027-02-20", "2027-10-09"]
"""


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-04-30", 3, "2026-05-08"),  # May 1–5 off
        ("2026-04-30", 4, "2026-05-09"),  # Saturday May 9 is a make-up working day
        ("2026-09-30", 1, "2026-10-08"),  # National Day Oct 1–7
        ("2026-09-30", 2, "2026-10-09"),
        ("2026-09-30", 3, "2026-10-10"),  # Saturday Oct 10 works
        ("2026-09-18", 1, "2026-09-20"),  # Sunday Sep 20 works
        ("2026-02-13", 1, "2026-02-14"),  # Saturday Feb 14 works
        ("2026-02-13", 2, "2026-02-24"),  # Spring Festival Feb 15–23
        ("2026-02-13", 10, "2026-03-05"),  # ... and Saturday Feb 28 works
        ("2026-01-03", 1, "2026-01-04"),  # Sunday Jan 4 works
        ("2026-11-20", 10, "2026-12-04"),  # ordinary weeks
        ("2026-11-20", 0, "2026-11-20"),
    ],
)
def test_official_2026(start, days, due):
    result = CAL.add_workdays(date.fromisoformat(start), days)
    assert result.due == date.fromisoformat(due)
    assert result.provisional is False


def test_json_shape():
    assert CAL.add_workdays(date(2026, 4, 30), 3).to_dict() == {
        "start": "2026-04-30",
        "days": 3,
        "due": "2026-05-08",
        "provisional": False,
    }


def test_late_december_2026_into_2027_is_provisional_until_the_notice_is_loaded():
    provisional = CAL.add_workdays(date(2026, 12, 24), 10)
    assert provisional.due == date(2027, 1, 8)  # Jan 1 off, weekends off, no make-up days known
    assert provisional.provisional and provisional.provisional_years == (2027,)
    assert CAL.add_workdays(date(2026, 12, 31), 1).due == date(2027, 1, 4)

    official = WorkCalendar(loaded=[parse_notice(TEST_NOTICE_2027)])
    after = official.add_workdays(date(2026, 12, 31), 1)
    assert after.due == date(2027, 1, 2)  # the (made-up) notice's make-up Saturday counts
    assert after.provisional is False and after.provisional_years == ()
    assert official.add_workdays(date(2026, 12, 24), 10).provisional is False


def test_provisional_fallback_knows_the_statutory_days_only():
    schedule = CAL.schedule(2027)
    assert not schedule.official and not schedule.workdays
    assert len(schedule.holidays) == 13
    # Spring Festival 2027: lunar New Year's Eve and days 1-3 (lunar dates from the holidays package)
    assert {date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)} <= schedule.holidays
    assert {date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3)} <= schedule.holidays
    assert date(2027, 10, 4) not in schedule.holidays  # an "(observed)" guess is not kept


def test_deadlines_by_unit():
    working = Deadline(10, "working", Source("x"))
    calendar = Deadline(15, "calendar", Source("x"))
    assert CAL.due(date(2026, 9, 30), working).due == date(2026, 10, 20)
    assert CAL.due(date(2026, 9, 30), calendar).due == date(2026, 10, 15)


def test_workdays_between():
    assert CAL.workdays_between(date(2026, 4, 30), date(2026, 5, 8)) == 3
    assert CAL.workdays_between(date(2026, 5, 8), date(2026, 4, 30)) == 0


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("year = ", "TOML"),
        ('source = "x"\nholidays = ["2027-01-01"]', "year"),
        ('year = 2027\nholidays = ["2027-01-01"]', "source"),
        ('year = 2027\nsource = "x"\nholidays = ["2028-01-01"]', "不在 2027 年"),
        ('year = 2027\nsource = "x"\nholidays = ["2027-01-05..2027-01-01"]', "颠倒"),
        ('year = 2027\nsource = "x"\nholidays = ["2027-01-02"]\nworkdays = ["2027-01-02"]', "同时"),
        ('year = 2027\nsource = "x"\nholidays = ["2027-01-01"]\nworkdays = ["2027-01-04"]', "不是周六或周日"),
        ('year = 2027\nsource = "x"\nholidays = ["2027-13-01"]', "不是 YYYY-MM-DD"),
        ('year = 2027\nsource = "x"\nholidays = []', "不能为空"),
    ],
)
def test_bad_notice_files(text, fragment):
    with pytest.raises(WuyeError) as info:
        parse_notice(text)
    assert info.value.code == "bad_calendar_file" and fragment in info.value.message


def test_schedule_round_trips_through_a_row():
    schedule = parse_notice(TEST_NOTICE_2027)
    assert schedule_from_row(schedule_to_row(schedule)) == schedule


def test_bad_dates_and_days():
    for bad in ("2026-4-30", "2026-02-30", "tomorrow", ""):
        with pytest.raises(WuyeError) as info:
            parse_date(bad)
        assert info.value.code == "bad_date"
    with pytest.raises(WuyeError):
        CAL.add_workdays(date(2026, 1, 1), -1)
    with pytest.raises(WuyeError):
        CAL.add_workdays(date(2026, 1, 1), 367)


async def test_cli_add_load_show(db, tmp_path):
    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))
    result = wuye_command("workdays", "add", "2026-04-30", "3", "--json", env=env)
    assert json.loads(result.stdout) == {
        "start": "2026-04-30",
        "days": 3,
        "due": "2026-05-08",
        "provisional": False,
    }
    text = wuye_command("workdays", "add", "2026-12-24", "10", env=env)
    assert text.stdout.startswith("2027-01-08（星期五）") and "暂定" in text.stderr
    assert json.loads(wuye_command("workdays", "add", "2026-12-24", "10", "--json", env=env).stdout)[
        "provisional"
    ]
    notice = tmp_path / "2027.toml"
    notice.write_text(TEST_NOTICE_2027, encoding="utf-8")
    assert wuye_command("workdays", "load", str(notice), env=env).returncode == 0
    after = json.loads(wuye_command("workdays", "add", "2026-12-31", "1", "--json", env=env).stdout)
    assert after == {"start": "2026-12-31", "days": 1, "due": "2027-01-02", "provisional": False}
    shown = json.loads(wuye_command("workdays", "show", "2027", "--json", env=env).stdout)
    assert shown["official"] and "2027-01-02" in shown["workdays"]
    from core.data.tables import AuditEntry

    assert await AuditEntry.count().where(AuditEntry.action == "workdays.load") == 1


async def test_cli_errors(db, tmp_path):
    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))
    for args, fragment in [
        (("workdays", "add", "2026-02-30", "3"), "日期格式不正确"),
        (("workdays", "add", "2026-04-30", "x"), "天数"),
        (("workdays", "add", "--", "2026-04-30", "-1"), "天数"),
        (("workdays", "add", "2026-04-30", "3", "--jurisdiction", "atlantis"), "未找到该地区规则"),
        (("workdays", "load", str(tmp_path / "missing.toml")), "无法读取"),
    ]:
        result = wuye_command(*args, env=env, check=False)
        assert result.returncode == 2 and fragment in result.stderr and "Traceback" not in result.stderr, args
    bad = tmp_path / "bad.toml"
    bad.write_text('year = 2027\nsource = "x"\nholidays = ["2027-01-01"]\nworkdays = ["2027-01-04"]\n')
    result = wuye_command("workdays", "load", str(bad), env=env, check=False)
    assert result.returncode == 2 and "不是周六或周日" in result.stderr
