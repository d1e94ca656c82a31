"""A bad inspection file is refused, never a traceback: named bad files and mutated ones (bytes and
structure) given to ``wuye group_rental assess`` (which needs no database) exit 2 in Chinese, or
assess a whole flat; over HTTP (``/assess``) the same files answer a Chinese 4xx or a determination,
and the database is unchanged row by row either way."""

from __future__ import annotations

import json
import random

from hypothesis import given
from hypothesis import strategies as st

from core.testing import login, wuye_env
from core.testing_mutations import (
    MUTATION_SETTINGS,
    WuyeProcess,
    assert_cli_refused,
    assert_refused,
    database_rows,
    mutated_json_file,
)
from tests.plugins.group_rental.conftest import flat, room
from tests.plugins.group_rental.test_cases import BASE

GOOD = flat(
    room("主卧", "living", "10.00", 2),
    room("客厅", "living_room", "12.00", 1, partitioned=True, daylight=True, ventilation=True),
    room("阳台", "balcony", "3.00", 1),
    agency=True,
)
CODES = ("group_rental_", "control_characters", "invalid_json", "payload_")


def _changed(**changes) -> bytes:
    return json.dumps({**GOOD, **changes}, ensure_ascii=False).encode()


BAD_FILES = {
    "not-json": b"{rooms: [",
    "empty": b"",
    "a-list": b"[]",
    "utf16": json.dumps(GOOD, ensure_ascii=False).encode("utf-16"),
    "gbk": json.dumps(GOOD, ensure_ascii=False).encode("gbk"),
    "rooms-a-string": _changed(rooms="主卧"),
    "no-rooms": _changed(rooms=[]),
    "room-a-number": _changed(rooms=[1]),
    "area-negative": _changed(rooms=[room(area="-3.00")]),
    "area-a-word": _changed(rooms=[room(area="十平方米")]),
    "area-huge": _changed(rooms=[room(area="9" * 400)]),
    "occupants-negative": _changed(rooms=[room(occupants=-1)]),
    "occupants-huge": _changed(rooms=[room(occupants=10**20)]),
    "unknown-use": _changed(rooms=[room(use="garage")]),
    "nul-in-name": _changed(rooms=[room(name="主\x00卧")]),
    "huge-name": _changed(rooms=[room(name="长" * 100_000)]),
    "flag-a-string": _changed(agency_managed="yes"),
    "extra-key": _changed(owner="x"),
    "many-rooms": _changed(rooms=[room()] * 5000),
}


def test_bad_and_mutated_inspection_files_exit_2_in_chinese_or_assess_a_whole_flat(tmp_path):
    rng = random.Random(20261203)
    files = {f"{case}.json": content for case, content in BAD_FILES.items()}
    files.update({f"mutated-{n}.json": mutated_json_file(GOOD, rng) for n in range(16)})
    refused = 0
    with WuyeProcess(wuye_env("sqlite:////nonexistent/never-used.sqlite3", [])) as wuye:
        for name, content in files.items():
            (tmp_path / name).write_bytes(content)
            result = wuye.run("group_rental", "assess", str(tmp_path / name), "--json")
            if result.returncode == 0:
                assert name.startswith("mutated-"), (name, result.stdout[:500])
                assert set(json.loads(result.stdout)) == {"profile", "group_rental", "findings", "exceptions"}
                continue
            assert_cli_refused(result)
            assert result.stdout == ""
            refused += 1
    assert refused >= len(BAD_FILES) + 4


@given(rng=st.randoms(use_true_random=False))
@MUTATION_SETTINGS
async def test_a_mutated_inspection_over_http_is_refused_or_assessed_and_writes_nothing(
    db, client, district, staff_factory, rng
):
    if not client.cookies:
        await staff_factory("officer", "district_officer", "alpha")
        client.headers["x-csrf-token"] = await login(client, "officer")
    before = await database_rows(db)
    response = await client.post(
        f"{BASE}/assess", content=mutated_json_file(GOOD, rng), headers={"content-type": "application/json"}
    )
    assert response.status_code < 500, response.text[:500]
    if response.status_code != 200:
        assert_refused(response, CODES)
    assert await database_rows(db) == before


async def test_bad_inspection_files_over_http_are_refused_in_chinese(db, client, district, staff_factory):
    await staff_factory("officer", "district_officer", "alpha")
    csrf = await login(client, "officer")
    before = await database_rows(db)
    for case, content in BAD_FILES.items():
        response = await client.post(
            f"{BASE}/assess",
            content=content,
            headers={"content-type": "application/json", "x-csrf-token": csrf},
        )
        assert response.status_code < 500, (case, response.text[:500])
        assert_refused(response, CODES)
    assert await database_rows(db) == before
