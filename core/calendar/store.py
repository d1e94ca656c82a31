"""Where loaded State Council schedules live: the ``core_calendar_year`` table."""

from __future__ import annotations

import hashlib
import logging

from core.calendar.workdays import (
    WorkCalendar,
    YearSchedule,
    parse_notice,
    schedule_from_row,
    schedule_to_row,
)
from core.data.db import transaction
from core.data.tables import CalendarYear
from core.identity import audit

log = logging.getLogger("wuye.workdays")


async def loaded_schedules(calendar: str = "cn") -> list[YearSchedule]:
    rows = await CalendarYear.select().where(CalendarYear.calendar == calendar)
    return [schedule_from_row(row) for row in rows]


async def work_calendar(calendar: str = "cn") -> WorkCalendar:
    """The calendar with every schedule office staff have loaded."""
    return WorkCalendar(calendar, loaded=await loaded_schedules(calendar))


async def load_notice_text(text: str, actor_label: str) -> YearSchedule:
    """Parse a notice file and store it (replacing an earlier load of the same year); audited."""
    schedule = parse_notice(text)
    row = schedule_to_row(schedule)
    digest = hashlib.sha256(text.encode()).hexdigest()
    async with transaction(CalendarYear._meta.db):
        await CalendarYear.delete().where(
            (CalendarYear.calendar == schedule.calendar) & (CalendarYear.year == schedule.year)
        )
        await CalendarYear.insert(
            CalendarYear(
                calendar=schedule.calendar,
                year=schedule.year,
                holidays=row["holidays"],
                workdays=row["workdays"],
                source=schedule.source,
                sha256=digest,
                loaded_by=actor_label,
            )
        )
        await audit.record(
            actor_label,
            "workdays.load",
            target=f"{schedule.calendar}:{schedule.year}",
            details={"source": schedule.source, "sha256": digest},
        )
    return schedule
