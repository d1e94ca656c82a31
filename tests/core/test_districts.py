"""Per-district enablement: routes, menus, hooks and the config fallback chain."""

from __future__ import annotations

import pytest

from core.district_services import add_district, menu_for, switch_plugin
from core.districts import create_district, merge_config, plugin_config
from core.plugins import hooks_for
from core.testing import login
from tests.fixtures.plugins.toy_duty import plugin as toy


async def test_plugin_routes_404_when_disabled_and_back_when_enabled(db, client, staff_factory):
    district = await add_district(db, "test", "alpha", "甲街道")
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")

    assert (await client.get("/d/alpha/toy_duty/notes")).status_code == 404
    body = (await client.get("/d/alpha/toy_duty/notes")).json()
    assert body["code"] == "not_found" and body["message"]

    response = await client.put(
        "/api/d/alpha/plugins/toy_duty", json={"enabled": True}, headers={"x-csrf-token": csrf}
    )
    assert response.status_code == 200, response.text
    assert (await client.get("/d/alpha/toy_duty/notes")).json() == []
    created = await client.post(
        "/d/alpha/toy_duty/notes", json={"text": "第一条"}, headers={"x-csrf-token": csrf}
    )
    assert created.status_code == 201
    assert (await client.get("/d/alpha/toy_duty/notes")).json() == ["第一条"]

    assert await switch_plugin(db, "test", district, "toy_duty", False)
    assert (await client.get("/d/alpha/toy_duty/notes")).status_code == 404
    assert (
        await client.post("/d/alpha/toy_duty/notes", json={"text": "x"}, headers={"x-csrf-token": csrf})
    ).status_code == 404


async def test_enablement_is_per_district(db, client, staff_factory):
    alpha = await add_district(db, "test", "alpha", "甲街道")
    await add_district(db, "test", "beta", "乙街道")
    await switch_plugin(db, "test", alpha, "toy_duty", True)
    await staff_factory("boss", "city_admin")
    await login(client, "boss")
    assert (await client.get("/d/alpha/toy_duty/notes")).status_code == 200
    assert (await client.get("/d/beta/toy_duty/notes")).status_code == 404


async def test_runtime_hooks_skip_disabled_plugins(db, staff_factory):
    alpha = await add_district(db, "test", "alpha", "甲街道")
    from core.identity.auth import load_actor

    actor = await load_actor(await staff_factory("boss", "city_admin"), "cli")
    assert actor is not None
    assert [m.plugin for m in await menu_for(db, alpha, actor)] == []
    await switch_plugin(db, "test", alpha, "toy_duty", True)
    assert [m.label for m in await menu_for(db, alpha, actor)] == ["玩具模块"]
    toy.EVENTS.clear()
    await switch_plugin(db, "test", alpha, "toy_duty", False)
    # the toy plugin is already off when its own "disabled" event is emitted: it must not hear it
    assert toy.EVENTS == []
    hooks = await hooks_for(db.pm, alpha)
    assert hooks.menu_items(district=alpha, actor=actor) == []
    await switch_plugin(db, "test", alpha, "toy_duty", True)
    assert ("alpha", "core.plugin_enabled") in toy.EVENTS


async def test_switching_is_audited_and_idempotent(db):
    from core.data.tables import AuditEntry

    alpha = await create_district("alpha", "甲街道")
    assert await switch_plugin(db, "officer", alpha, "toy_duty", True)
    assert not await switch_plugin(db, "officer", alpha, "toy_duty", True)
    rows = await AuditEntry.select().where(AuditEntry.action == "plugin.enable")
    assert len(rows) == 1 and rows[0]["target"] == "toy_duty" and rows[0]["district"] == "alpha"


async def test_unknown_and_essential_plugins_are_refused(db, client, staff_factory):
    await add_district(db, "test", "alpha", "甲街道")
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    unknown = await client.put(
        "/api/d/alpha/plugins/nope", json={"enabled": True}, headers={"x-csrf-token": csrf}
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "plugin_not_found"
    essential = await client.put(
        "/api/d/alpha/plugins/core", json={"enabled": False}, headers={"x-csrf-token": csrf}
    )
    assert essential.status_code == 400 and essential.json()["code"] == "plugin_essential"


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        (({"a": 1}, {"a": 2}, {"a": 3}, {"a": 4}), {"a": 1}),
        (({}, {"a": 2}, {"a": 3}, {"a": 4}), {"a": 2}),
        (({}, {}, {"a": 3}, {"a": 4}), {"a": 3}),
        (({}, {}, {}, {"a": 4}), {"a": 4}),
        (({"n": {"x": 1}}, {"n": {"y": 2}}, {}, {"n": {"x": 0, "z": 3}}), {"n": {"x": 1, "y": 2, "z": 3}}),
    ],
)
def test_merge_config_most_specific_first(layers, expected):
    assert merge_config(*layers) == expected


async def test_plugin_config_falls_back_through_every_layer(db):
    from core.data.tables import DistrictPlugin
    from core.districts import DistrictInfo

    alpha = await add_district(db, "test", "alpha", "甲街道", jurisdiction="toyland")
    defaults = {"max_notes": 1, "colour": "red", "size": "s"}
    # jurisdiction layer (toyland sets max_notes = 3) beats defaults
    assert await plugin_config(db, "toy_duty", alpha, defaults) == {
        "max_notes": 3,
        "colour": "red",
        "size": "s",
    }
    # settings layer beats defaults but not the jurisdiction
    db.settings.plugin_settings["toy_duty"] = {"colour": "blue", "max_notes": 9}
    try:
        assert await plugin_config(db, "toy_duty", alpha, defaults) == {
            "max_notes": 3,
            "colour": "blue",
            "size": "s",
        }
        # the district row beats everything
        await switch_plugin(db, "test", alpha, "toy_duty", True)
        await DistrictPlugin.update({DistrictPlugin.config: '{"max_notes": 5}'}).where(
            DistrictPlugin.district == alpha.id
        )
        assert await plugin_config(db, "toy_duty", alpha, defaults) == {
            "max_notes": 5,
            "colour": "blue",
            "size": "s",
        }
    finally:
        db.settings.plugin_settings.pop("toy_duty", None)
    national = DistrictInfo(alpha.id, "alpha", "甲街道", "", "")
    assert (await plugin_config(db, "toy_duty", national, defaults))["max_notes"] == 5
