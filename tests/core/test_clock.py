"""A district's clock (core.clock): a training district's is set and reset (CLI and API, audited); a
production district's cannot be; one district's staff neither read nor set another's."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.clock import district_now, district_today, set_district_clock
from core.data.tables import AuditEntry
from core.district_services import add_district, add_estate
from core.districts import clear_caches, get_district
from core.errors import Conflict
from core.jurisdiction import configured_registry
from core.testing import login, wuye_command, wuye_env

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI)


def near(moment: datetime, target: datetime, seconds: float = 30) -> bool:
    return abs((moment - target).total_seconds()) < seconds


async def test_a_training_district_clock_is_set_runs_on_and_resets(db):
    training = await add_district(db, "test", "drill", "演练街道", training=True)
    assert training.training and near(await district_now(training), datetime.now(UTC))
    state = await set_district_clock(db, "test", training, AT)
    assert state["set"] and state["training"] and "2026年12月20日 09:0" in state["now_text"]
    info = await get_district("drill")
    assert near(await district_now(info), AT) and near(await district_now(info.id), AT)
    profile = configured_registry().get(info.jurisdiction_code)
    assert (await district_today(info, profile)).isoformat() == "2026-12-20"
    entry = await AuditEntry.select().where(AuditEntry.action == "district.clock").first()
    assert entry["district"] == "drill" and entry["actor"] == "test"
    reset = await set_district_clock(db, "test", info, None)
    assert not reset["set"] and near(await district_now(await get_district("drill")), datetime.now(UTC))


async def test_a_production_district_refuses_a_clock(db):
    real = await add_district(db, "test", "alpha", "甲街道")
    with pytest.raises(Conflict) as refused:
        await set_district_clock(db, "test", real, AT)
    assert refused.value.code == "clock_production" and "不能调整时钟" in refused.value.message
    assert near(await district_now(real.id), datetime.now(UTC))
    assert not await AuditEntry.exists().where(AuditEntry.action == "district.clock")


async def test_the_clock_api_is_the_district_managers_and_audited(db, client, staff_factory):
    drill = await add_district(db, "test", "drill", "演练街道", training=True)
    await add_estate(db, "test", drill, "E1", "演练花园")
    await add_district(db, "test", "alpha", "甲街道")
    await add_district(db, "test", "beta", "乙街道", training=True)
    await staff_factory("officer_a", "district_officer", "alpha")
    await staff_factory("officer_a", "district_officer", "drill")
    await staff_factory("member", "committee_member", "drill", "E1")
    csrf = await login(client, "officer_a")
    headers = {"x-csrf-token": csrf}

    put = await client.put("/api/d/drill/clock", json={"at": "2026-12-20 09:00"}, headers=headers)
    assert put.status_code == 200, put.text
    assert put.json()["set"] and near(datetime.fromisoformat(put.json()["now"]), AT)
    got = (await client.get("/api/d/drill/clock")).json()
    assert got["training"] and near(datetime.fromisoformat(got["now"]), AT)
    assert (await client.get("/api/d/drill")).json()["training"] is True
    entry = await AuditEntry.select().where(AuditEntry.action == "district.clock").first()
    assert entry["actor"].endswith("officer_a") or "officer_a" in entry["actor"]

    refused = await client.put("/api/d/alpha/clock", json={"at": "2026-12-20 09:00"}, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["code"] == "clock_production" and "不能调整时钟" in refused.json()["message"]
    for moment in ("明天", "9999-12-31 23:59", "1900-01-01 00:00"):
        bad = await client.put("/api/d/drill/clock", json={"at": moment}, headers=headers)
        assert bad.status_code == 400 and bad.json()["code"] == "clock_bad_moment", moment

    # another district's clock: neither read nor set
    assert (await client.get("/api/d/beta/clock")).status_code == 403
    other = await client.put("/api/d/beta/clock", json={"at": "2026-12-20 09:00"}, headers=headers)
    assert other.status_code == 403
    assert not (await get_district("beta")).clock_offset

    reset = await client.put("/api/d/drill/clock", json={"at": None}, headers=headers)
    assert reset.status_code == 200 and not reset.json()["set"]

    await client.post("/logout", headers=headers)
    member_csrf = await login(client, "member")
    assert (await client.get("/api/d/drill/clock")).status_code == 403
    denied = await client.put("/api/d/drill/clock", json={"at": None}, headers={"x-csrf-token": member_csrf})
    assert denied.status_code == 403


async def test_the_clock_from_the_command_line(db):
    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))

    def cli(*args: str):
        return wuye_command(*args, env=env, check=False)

    created = cli("district", "add", "drill", "演练街道", "--training")
    assert created.returncode == 0 and "培训区" in created.stdout, created.stderr
    assert cli("district", "add", "alpha", "甲街道").returncode == 0
    moved = cli("district", "clock", "drill", "--at", "2026-12-20 09:00", "--json")
    assert moved.returncode == 0, moved.stderr
    assert json.loads(moved.stdout)["set"]
    assert near(await district_now(await get_district("drill")), AT)
    shown = cli("district", "clock", "drill")
    assert "2026年12月20日 09:0" in shown.stdout and "已设定" in shown.stdout

    refused = cli("district", "clock", "alpha", "--at", "2026-12-20 09:00")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "不能调整时钟" in refused.stderr
    assert cli("district", "clock", "drill", "--at", "x", "--reset").returncode == 2
    assert cli("district", "clock", "drill", "--reset").returncode == 0
    clear_caches()  # another process set it: this one sees it once its cache expires (5 s)
    assert near(await district_now(await get_district("drill")), datetime.now(UTC))


async def test_the_district_page_sets_and_resets_a_training_districts_clock(db, client, staff_factory):
    """The training district's page shows its clock to its officers, sets it from a date-time field
    (the browser's ``2026-12-20T09:00``) and puts it back to real time; a production district's page
    has no such form and its route refuses."""
    await add_district(db, "test", "drill", "演练街道", training=True)
    await add_district(db, "test", "alpha", "甲街道")
    await staff_factory("officer_d", "district_officer", "drill")
    await staff_factory("officer_d", "district_officer", "alpha")
    csrf = await login(client, "officer_d")
    html = {"Accept": "text/html"}
    page = await client.get("/d/drill", headers=html)
    assert 'id="clock-form"' in page.text and "（实际时间）" in page.text
    assert 'id="clock-form"' not in (await client.get("/d/alpha", headers=html)).text
    done = await client.post(
        "/d/drill/clock",
        data={"csrf_token": csrf, "at": "2026-12-20T09:00"},
        headers=html,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/d/drill"
    assert near(await district_now(await get_district("drill")), AT)
    shown = await client.get("/d/drill", headers=html)
    assert "2026年12月20日 09:0" in shown.text and 'id="clock-reset"' in shown.text
    bad = await client.post("/d/drill/clock", data={"csrf_token": csrf, "at": "明天"}, headers=html)
    assert bad.status_code == 400
    refused = await client.post(
        "/d/alpha/clock", data={"csrf_token": csrf, "at": "2026-12-20T09:00"}, headers=html
    )
    assert refused.status_code == 409
    back = await client.post("/d/drill/clock", data={"csrf_token": csrf, "reset": "1"}, headers=html)
    assert back.status_code in (200, 303)
    assert near(await district_now(await get_district("drill")), datetime.now(UTC))
    assert await AuditEntry.count().where(AuditEntry.action == "district.clock") == 2
