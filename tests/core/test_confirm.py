"""The two-step confirmation of irreversible console forms (core/web/confirm.py), and the one the
core itself asks: switching a duty off on the plugins page."""

from __future__ import annotations

import re

from core.district_services import add_district, switch_plugin
from core.districts import enabled_plugins
from core.testing import login
from core.web.confirm import Confirmation, fingerprint, kept_fields, normalise, pending


class Form(dict[str, str]):
    def multi_items(self) -> list[tuple[str, str]]:
        return list(self.items())


def test_pending_asks_then_passes_and_checks_typed_text_and_state() -> None:
    ask = Confirmation(code="x", title="t", summary=["s"], action="/a", typed="300", state="abc")
    first = pending(Form(serial="1", csrf_token="secret"), ask)
    assert first is not None and first.status_code == 200
    assert first.hidden == [("serial", "1")]  # the CSRF token is the panel's own
    wrong = pending(Form(confirmed="1", confirm_state="abc", confirm_text="30"), ask)
    assert wrong is not None and wrong.status_code == 400 and "300" in wrong.error
    stale = pending(Form(confirmed="1", confirm_state="old", confirm_text="300"), ask)
    assert stale is not None and stale.status_code == 409
    assert pending(Form(confirmed="1", confirm_state="abc", confirm_text="３００ 张"), ask) is None
    assert normalise(" 300张 ") == "300" and fingerprint(1, "a") == fingerprint(1, "a")
    assert kept_fields(Form(confirmed="1", confirm_text="x", a="b")) == [("a", "b")]


async def test_switching_a_duty_off_asks_first(db, client, staff_factory):
    district = await add_district(db, "test", "alpha", "甲街道")
    await switch_plugin(db, "test", district, "toy_duty", True)
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")

    asked = await client.post("/d/alpha/plugins/toy_duty", data={"enabled": "0", "csrf_token": csrf})
    assert asked.status_code == 200
    assert 'id="confirm"' in asked.text and 'data-code="plugin_off"' in asked.text
    assert "确认停用“玩具模块”" in asked.text and "已有数据保留" in asked.text
    assert "toy_duty" in await enabled_plugins(district)  # nothing changed yet
    state = re.search(r'name="confirm_state" value="([^"]+)"', asked.text)
    assert state and 'name="enabled" value="0"' in asked.text

    done = await client.post(
        "/d/alpha/plugins/toy_duty",
        data={"enabled": "0", "csrf_token": csrf, "confirmed": "1", "confirm_state": state.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "toy_duty" not in await enabled_plugins(district)
    # switching on acts at once (it takes nothing away)
    on = await client.post(
        "/d/alpha/plugins/toy_duty", data={"enabled": "1", "csrf_token": csrf}, follow_redirects=False
    )
    assert on.status_code == 303 and "toy_duty" in await enabled_plugins(district)
