"""Staff of one district cannot see or change another district's data: every district route, walked."""

from __future__ import annotations

import re

from core.district_services import add_district, add_estate, switch_plugin
from core.plugins import duty_names
from core.testing import login
from core.web.app import create_app

PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
SAMPLE_PARAMS = {"plugin": "toy_duty", "code": "national", "estate": "E1", "meeting": "m-unknown"}
SAMPLE_PARAMS |= {"grant_id": "1", "token_id": "1", "number": "1"}  # integer path parameters
# A valid body for each write route (by its last path segment), so that what refuses is the access
# check and not the body's validation.
VALID_BODIES = {
    "estates": {"code": "E9", "name": "九号小区"},
    "jurisdiction": {"code": "national"},
    "{plugin:str}": {"enabled": True},
    "notes": {"text": "越权写入"},
    "objections": {"received_on": "2026-01-05", "submitted_by": "王五", "content": "异议"},
    "answer": {"answer": "已核对"},
    "extend": {
        "voting_closes": "2030-01-05T17:00:00+08:00",
        "count_date": "2030-01-06",
        "reason": "人数不足",
    },
}


def body_for(method: str, template: str) -> dict | None:
    if method == "GET":
        return None
    return VALID_BODIES.get(template.rstrip("/").rsplit("/", 1)[-1], {})


def district_routes(runtime) -> list[tuple[str, str]]:
    """(method, path template) of every route that names a district."""
    app = create_app(runtime)
    found = set()
    for route in app.routes:
        if "{district" not in route.path:
            continue
        for method in getattr(route, "methods", ()):
            if method in {"HEAD", "OPTIONS"}:
                continue
            found.add((method, route.path))
    return sorted(found)


def fill(path: str, district: str) -> str:
    return PARAM.sub(
        lambda m: district if m.group(1) == "district" else SAMPLE_PARAMS.get(m.group(1), "x"), path
    )


async def setup_two_districts(db, staff_factory):
    alpha = await add_district(db, "test", "alpha", "甲街道")
    beta = await add_district(db, "test", "beta", "乙街道")
    for district in (alpha, beta):
        await add_estate(db, "test", district, "E1", "一号小区")
        for plugin in duty_names(db.pm):
            await switch_plugin(db, "test", district, plugin, True)
    await staff_factory("officer_a", "district_officer", "alpha")
    await staff_factory("officer_b", "district_officer", "beta")
    await staff_factory("member_a", "committee_member", "alpha", "E1")


async def test_officer_of_one_district_is_refused_on_every_route_of_another(db, client, staff_factory):
    await setup_two_districts(db, staff_factory)
    routes = district_routes(db)
    assert len(routes) >= 12, routes  # core console + API + the toy plugin's routes
    csrf = await login(client, "officer_a")
    for method, template in routes:
        url = fill(template, "beta")
        response = await client.request(
            method,
            url,
            json=body_for(method, template),
            headers={"x-csrf-token": csrf, "accept": "application/json"},
        )
        assert response.status_code in {403, 404}, (
            f"{method} {url} -> {response.status_code} {response.text[:200]}"
        )
        assert response.json()["code"] in {"forbidden", "not_found", "district_not_found"}, (method, url)
    # nothing was written to beta
    from core.data.tables import Estate

    assert await Estate.count().where(Estate.code == "E9") == 0


async def test_the_same_routes_answer_for_the_districts_own_administrator(db, client, staff_factory):
    """Its administrator (an officer who also manages the district's staff accounts) reaches them all."""
    await setup_two_districts(db, staff_factory)
    await staff_factory("admin_b", "district_admin", "beta")
    csrf = await login(client, "admin_b")
    for method, template in district_routes(db):
        url = fill(template, "beta")
        response = await client.request(
            method,
            url,
            json=body_for(method, template),
            headers={"x-csrf-token": csrf, "accept": "application/json"},
        )
        # reached the handler: the refusals above came from the access check, not from routing (a
        # handler may still answer 404 for an object that does not exist, with its own code)
        assert response.status_code not in {401, 403, 405}, f"{method} {url} -> {response.status_code}"
        assert response.status_code < 500, f"{method} {url} -> {response.text[:300]}"
        if response.status_code == 404:
            assert response.json()["code"] not in {"not_found", "district_not_found"}, f"{method} {url}"
        elif method == "GET":
            assert response.status_code == 200, f"GET {url} -> {response.status_code} {response.text[:200]}"


async def test_committee_member_sees_but_cannot_manage(db, client, staff_factory):
    await setup_two_districts(db, staff_factory)
    csrf = await login(client, "member_a")
    assert (await client.get("/api/d/alpha/estates")).status_code == 200
    switch = await client.put(
        "/api/d/alpha/plugins/toy_duty", json={"enabled": False}, headers={"x-csrf-token": csrf}
    )
    assert switch.status_code == 403 and switch.json()["code"] == "forbidden"
    assert (await client.get("/api/d/beta/estates")).status_code == 403


async def test_city_admin_sees_every_district(db, client, staff_factory):
    await setup_two_districts(db, staff_factory)
    await staff_factory("boss", "city_admin")
    await login(client, "boss")
    slugs = [d["slug"] for d in (await client.get("/api/districts")).json()]
    assert slugs == ["alpha", "beta"]


async def test_district_list_shows_only_own_districts(db, client, staff_factory):
    await setup_two_districts(db, staff_factory)
    await login(client, "officer_a")
    assert [d["slug"] for d in (await client.get("/api/districts")).json()] == ["alpha"]
    page = await client.get("/console")
    assert "甲街道" in page.text and "乙街道" not in page.text


async def test_anonymous_requests_get_401_json_or_a_login_redirect(db, client, staff_factory):
    await setup_two_districts(db, staff_factory)
    api = await client.get("/api/d/alpha/estates")
    assert api.status_code == 401 and api.json() == {"code": "not_authenticated", "message": "请先登录"}
    page = await client.get("/d/alpha", headers={"accept": "text/html"})
    assert page.status_code == 302 and page.headers["location"].startswith("/login?next=")
