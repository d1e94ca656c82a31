"""The record's times: one form (``YYYY-MM-DDTHH:MM:SS.ffffffZ``, UTC) whatever the driver returns."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

from plugins.voting.services.seal import iso, ts


def test_iso_is_utc_with_microseconds_from_any_offset():
    rng = random.Random(27)
    for _ in range(5000):
        instant = datetime(2000, 1, 1, tzinfo=UTC) + timedelta(
            seconds=rng.randrange(10**9), microseconds=rng.choice([0, rng.randrange(10**6)])
        )
        want = instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        for shown in (
            instant,
            instant.replace(tzinfo=None),  # a naive time is UTC
            instant.astimezone(timezone(timedelta(hours=8))),
            instant.astimezone(timezone(timedelta(hours=-5, minutes=-30))),
        ):
            assert iso(shown) == want


def test_ts_reads_each_driver_form_alike():
    at = datetime(2026, 11, 23, 10, 43, 9, 422940, tzinfo=UTC)
    want = "2026-11-23T10:43:09.422940Z"
    assert ts(at) == want  # a datetime
    assert ts("2026-11-23 10:43:09.422940+00:00") == want  # SQLite's text, as Piccolo stores it
    assert ts(want) == want  # PostgreSQL's to_char, as the seal asks for it
    assert ts("2026-11-23T18:43:09.42294+08:00") == want  # anything else is parsed
    assert ts(None) is None
