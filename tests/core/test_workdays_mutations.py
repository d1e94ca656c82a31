"""A bad notice file loads nothing: named bad notices and mutated ones given to ``wuye workdays load``
exit 2 with a Chinese message, no traceback, and leave the database as it was, row by row; a mutation
that is still a valid notice loads that year whole. (The notice has no HTTP route.)"""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.calendar.workdays import parse_notice
from core.data.tables import CalendarYear
from core.errors import WuyeError
from core.testing_mutations import (
    MUTATION_SETTINGS,
    cli_refuses_or_takes_whole,
    mutate,
    mutate_lines,
)
from tests.core.test_workdays import TEST_NOTICE_2027

GOOD = TEST_NOTICE_2027.encode()


def _with(**lines: str) -> bytes:
    """The good notice with some of its keys' lines replaced (TOML text as written)."""
    text = TEST_NOTICE_2027
    for key, value in lines.items():
        old = next(line for line in text.splitlines() if line.startswith(f"{key} ="))
        text = text.replace(old, f"{key} = {value}")
    return text.encode()


#: The bad notices probing found and their kin (the parser's own cases are in test_workdays.py).
BAD_FILES = {
    "not-toml": b"year = ",
    "empty": b"",
    "utf16": TEST_NOTICE_2027.encode("utf-16"),
    "gbk": TEST_NOTICE_2027.encode("gbk"),
    "nul-byte": GOOD.replace(b"source", b"sou\x00rce"),
    "escaped-nul-in-source": _with(source='"测试\\u0000通知"'),
    "control-in-source": _with(source='"测试\\u001b[31m通知"'),
    "huge-source": _with(source='"' + "长" * 200_000 + '"'),
    "blank-source": _with(source='"  "'),
    "year-as-text": _with(year='"2027"'),
    "year-out-of-range": _with(year="3027"),
    "year-true": _with(year="true"),
    "holidays-a-string": _with(holidays='"2027-01-01"'),
    "holiday-a-number": _with(holidays="[20270101]"),
    "holiday-another-year": _with(holidays='["2028-01-01"]'),
    "range-reversed": _with(holidays='["2027-02-11..2027-02-05"]'),
    "range-open": _with(holidays='["2027-02-05.."]'),
    "no-holidays": _with(holidays="[]"),
    "a-weekday-workday": _with(workdays='["2027-01-04"]'),
    "day-off-and-on": _with(workdays='["2027-01-01"]'),
    "key-twice": GOOD + b"year = 2028\n",
    "calendar-a-table": _with(calendar="{ a = 1 }"),
    "calendar-too-long": _with(calendar='"' + "c" * 17 + '"'),
    "calendar-a-number": _with(calendar="86"),
}


def test_a_toml_date_is_read_as_the_day_it_is_and_what_is_shown_is_printable():
    schedule = parse_notice(_with(holidays='[2027-01-01, "2027-02-05..2027-02-11"]').decode())
    assert date(2027, 1, 1) in schedule.holidays and len(schedule.holidays) == 8
    with pytest.raises(WuyeError) as bad:
        parse_notice(_with(holidays='["2027-01-01\\u001b[2J"]').decode())
    assert "\x1b" not in bad.value.message and "不是 YYYY-MM-DD" in bad.value.message


def _refused_by_the_parser(content: bytes) -> bool:
    try:
        parse_notice(content.decode("utf-8-sig"))
    except (WuyeError, UnicodeDecodeError):
        return True
    return False


def _mutated(rng: random.Random) -> bytes:
    return mutate_lines(GOOD, rng) if rng.randrange(2) else mutate(GOOD, rng)


@given(st.binary(max_size=300), st.randoms(use_true_random=False))
@MUTATION_SETTINGS
def test_the_parser_refuses_in_chinese_or_reads_a_whole_schedule(noise, rng):
    for content in (noise, _mutated(rng)):
        try:
            schedule = parse_notice(content.decode("utf-8", errors="replace"))
        except WuyeError as exc:
            assert exc.code == "bad_calendar_file" and exc.message
            continue
        assert 2000 <= schedule.year <= 2100 and schedule.holidays and schedule.source.strip()


async def test_bad_and_mutated_notices_exit_2_in_chinese_and_load_nothing(db, tmp_path):
    rng = random.Random(20261203)
    files = {f"{case}.toml": content for case, content in BAD_FILES.items()}
    files.update({f"mutated-{n}.toml": _mutated(rng) for n in range(14)})

    async def loaded(name, content, result, before, wuye):  # still a valid notice
        schedule = parse_notice(content.decode("utf-8-sig"))
        row = await CalendarYear.select().where(CalendarYear.year == schedule.year).first()
        assert row is not None and row["source"] == schedule.source

    def why(name, content, result):
        assert name.startswith("mutated-") or _refused_by_the_parser(content) or "文件" in result.stderr

    refused = await cli_refuses_or_takes_whole(
        db, tmp_path, files, lambda path: ["workdays", "load", str(path)], taken_whole=loaded, refused=why
    )
    assert refused >= len(BAD_FILES) + 6
