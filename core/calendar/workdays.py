"""Working days (工作日) per the State Council's yearly holiday notice.

Periods in working days start the day AFTER the trigger (Civil Code Art. 201): "within 10 working
days of receipt" is the 10th working day after the day of receipt. Statutory days off are not working
days; swapped make-up working days (调休上班, often a Saturday or Sunday) are.

A year's schedule comes, in this order of precedence, from:

1. a notice file loaded by office staff (``wuye workdays load FILE``; stored in ``core_calendar_year``)
   — official;
2. the ``chinesecalendar`` package (2004–2026 at the time of writing) — official;
3. a **provisional** fallback: weekends off plus the 13 statutory days of 全国年节及纪念日放假办法
   (2024 revision): New Year's Day; Spring Festival (lunar New Year's Eve and days 1–3); Qingming;
   Labour Day (May 1–2); Dragon Boat; Mid-Autumn; National Day (Oct 1–3). The lunar dates come from
   the ``holidays`` package, of which only the statutory days are kept (its "(observed)" substitutes
   are guesses, and it knows no make-up working days). Every result touching such a year says
   ``provisional``.

The notice file is TOML. For example (2027's notice was not yet published when this was written; the
dates below only show the format)::

    calendar = "cn"
    year = 2027
    source = "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕…号）"
    # days off: a date, or an inclusive range "FIRST..LAST"
    holidays = ["2027-01-01..2027-01-03", "2027-02-05..2027-02-12", "2027-10-01..2027-10-07"]
    # make-up working days (调休上班): Saturdays or Sundays
    workdays = ["2027-02-14", "2027-02-20", "2027-10-09"]
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from core.errors import BadRequest

if TYPE_CHECKING:
    from core.jurisdiction import Deadline

MAX_DAYS = 366
MAX_SOURCE_CHARS = 400  #: ``core_calendar_year.source``
_CALENDAR_RE = re.compile(r"^[a-z][a-z0-9_-]{0,15}$")  #: ``core_calendar_year.calendar``: Varchar(16)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
#: English names the ``holidays`` package gives the statutory days (language="en_US").
_STATUTORY_NAMES = (
    "New Year's Day",
    "Chinese New Year's Eve",
    "Chinese New Year (Spring Festival)",
    "Tomb-Sweeping Day",
    "Labor Day",
    "Dragon Boat Festival",
    "Mid-Autumn Festival",
    "National Day",
)


@dataclass(frozen=True)
class YearSchedule:
    """One year's days off and make-up working days."""

    calendar: str
    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str
    official: bool


@dataclass(frozen=True)
class DueDate:
    """The end of a period, and whether it rests on a provisional schedule."""

    start: date
    days: int
    due: date
    provisional: bool
    provisional_years: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "days": self.days,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
        }


def parse_date(value: str) -> date:
    """A strict ``YYYY-MM-DD`` date, else a 400 ``bad_date``."""
    text = (value or "").strip()
    if not _DATE_RE.match(text):
        raise BadRequest("bad_date", value=value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest("bad_date", value=value) from None


def weekday_name(day: date) -> str:
    return _WEEKDAYS[day.weekday()]


def _official_from_package(year: int) -> YearSchedule | None:
    try:
        import chinese_calendar
        from chinese_calendar import constants
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return None
    return YearSchedule(
        calendar="cn",
        year=year,
        holidays=frozenset(d for d in constants.holidays if d.year == year),
        workdays=frozenset(d for d in constants.workdays if d.year == year),
        source=f"国务院办公厅节假日安排通知（据 chinesecalendar {_package_version()}）",
        official=True,
    )


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover
        return "?"


@lru_cache(maxsize=64)
def provisional_schedule(year: int) -> YearSchedule:
    """Weekends plus the statutory days off (lunar dates from ``holidays``); no make-up days."""
    import holidays

    days: set[date] = set()
    for day, name in holidays.China(years=year, language="en_US").items():
        if "observed" in name.lower():
            continue
        if any(name == statutory for statutory in _STATUTORY_NAMES):
            days.add(day)
    return YearSchedule(
        calendar="cn",
        year=year,
        holidays=frozenset(days),
        workdays=frozenset(),
        source="暂定：仅按周末和法定节假日推算（尚未载入国务院当年节假日安排）",
        official=False,
    )


class WorkCalendar:
    """Working-day arithmetic over loaded, packaged or provisional yearly schedules."""

    def __init__(self, calendar: str = "cn", loaded: Iterable[YearSchedule] = ()) -> None:
        self.calendar = calendar
        self._loaded = {s.year: s for s in loaded if s.calendar == calendar}
        self._cache: dict[int, YearSchedule] = {}

    def schedule(self, year: int) -> YearSchedule:
        if year not in self._cache:
            found = self._loaded.get(year)
            if found is None and self.calendar == "cn":
                found = _official_from_package(year)
            self._cache[year] = found or provisional_schedule(year)
        return self._cache[year]

    def is_official(self, year: int) -> bool:
        return self.schedule(year).official

    def is_workday(self, day: date) -> bool:
        schedule = self.schedule(day.year)
        if day in schedule.workdays:
            return True
        if day in schedule.holidays:
            return False
        return day.weekday() < 5

    def add_workdays(self, start: date, days: int) -> DueDate:
        """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
        if not isinstance(days, int) or days < 0 or days > MAX_DAYS:
            raise BadRequest("bad_days", value=days)
        current = start
        counted = 0
        provisional: set[int] = set()
        while counted < days:
            current += timedelta(days=1)
            if not self.is_official(current.year):
                provisional.add(current.year)
            if self.is_workday(current):
                counted += 1
        return DueDate(start, days, current, bool(provisional), tuple(sorted(provisional)))

    def add_calendar_days(self, start: date, days: int) -> DueDate:
        if not isinstance(days, int) or days < 0 or days > MAX_DAYS:
            raise BadRequest("bad_days", value=days)
        return DueDate(start, days, start + timedelta(days=days), False)

    def due(self, start: date, deadline: Deadline) -> DueDate:
        if deadline.unit == "working":
            return self.add_workdays(start, deadline.days)
        return self.add_calendar_days(start, deadline.days)

    def workdays_between(self, after: date, until: date) -> int:
        """Working days ``d`` with ``after < d <= until`` (0 when ``until <= after``)."""
        count = 0
        current = after
        while current < until:
            current += timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count


def _bad(detail: str) -> BadRequest:
    return BadRequest("bad_calendar_file", detail=detail)


def _shown(value: Any) -> str:
    """A value of the file as the message shows it: printable, and short."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = _CONTROL.sub("?", text)
    return text if len(text) <= 40 else text[:40] + "…"


def _expand(entries: Any, year: int, field: str) -> set[date]:
    if not isinstance(entries, list):
        raise _bad(f"“{field}”应为日期列表")
    days: set[date] = set()
    for entry in entries:
        if isinstance(entry, date) and not isinstance(entry, datetime):  # a TOML date: 2027-01-01
            entry = entry.isoformat()
        if not isinstance(entry, str):
            raise _bad(f"“{field}”中的 {_shown(entry)} 不是日期")
        first_text, dots, last_text = entry.partition("..")
        try:
            first = date.fromisoformat(first_text.strip())
            last = date.fromisoformat(last_text.strip()) if dots else first
        except ValueError:
            raise _bad(f"“{field}”中的 {_shown(entry)} 不是 YYYY-MM-DD 日期或日期区间") from None
        if last < first:
            raise _bad(f"“{field}”中的区间 {entry} 起止颠倒")
        for day in (first, last):
            if day.year != year:
                raise _bad(f"“{field}”中的 {day.isoformat()} 不在 {year} 年")
        current = first
        while current <= last:
            days.add(current)
            current += timedelta(days=1)
    return days


def parse_notice(text: str, calendar: str = "cn") -> YearSchedule:
    """A notice file (TOML, see the module docstring) → an official :class:`YearSchedule`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _bad(f"不是有效的 TOML：{exc}") from None
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise _bad("缺少“year”或年份不在 2000–2100 之间")
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _bad("缺少“source”（通知的标题和文号）")
    if _CONTROL.search(source):
        raise _bad("“source”含有控制字符")
    if len(source.strip()) > MAX_SOURCE_CHARS:
        raise _bad(f"“source”超过 {MAX_SOURCE_CHARS} 字")
    calendar = data.get("calendar", calendar)
    if not isinstance(calendar, str) or not _CALENDAR_RE.match(calendar):
        raise _bad(f"“calendar”应为日历编号（小写字母、数字，如 cn），而不是 {_shown(calendar)}")
    holidays = _expand(data.get("holidays", []), year, "holidays")
    workdays = _expand(data.get("workdays", []), year, "workdays")
    both = sorted(holidays & workdays)
    if both:
        raise _bad(f"{both[0].isoformat()} 同时列为放假和调休上班")
    weekdays = sorted(d for d in workdays if d.weekday() < 5)
    if weekdays:
        raise _bad(f"调休上班日 {weekdays[0].isoformat()} 不是周六或周日")
    if not holidays:
        raise _bad("“holidays”不能为空")
    return YearSchedule(calendar, year, frozenset(holidays), frozenset(workdays), source.strip(), True)


def schedule_to_row(schedule: YearSchedule) -> dict[str, Any]:
    return {
        "calendar": schedule.calendar,
        "year": schedule.year,
        "holidays": json.dumps(sorted(d.isoformat() for d in schedule.holidays)),
        "workdays": json.dumps(sorted(d.isoformat() for d in schedule.workdays)),
        "source": schedule.source,
    }


def schedule_from_row(row: dict[str, Any]) -> YearSchedule:
    def dates(value: Any) -> frozenset[date]:
        items = json.loads(value) if isinstance(value, str) else list(value or [])
        return frozenset(date.fromisoformat(item) for item in items)

    return YearSchedule(
        calendar=row["calendar"],
        year=int(row["year"]),
        holidays=dates(row["holidays"]),
        workdays=dates(row["workdays"]),
        source=row["source"],
        official=True,
    )
