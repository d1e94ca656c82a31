"""Bad input gets a 4xx with ``{"code", "message"}``; nothing is half-written; never a 500."""

from __future__ import annotations

import pytest

from core.data.tables import District, Estate
from core.district_services import add_district
from core.testing import login

CHINESE = __import__("re").compile(r"[\u4e00-\u9fff]")


def assert_error(response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"code", "message"}
    assert CHINESE.search(body["message"]), body
    if code:
        assert body["code"] == code


@pytest.fixture
async def officer(db, client, staff_factory):
    await add_district(db, "test", "alpha", "甲街道")
    await staff_factory("officer_a", "district_officer", "alpha")
    return await login(client, "officer_a")


async def test_malformed_json(db, client, officer):
    response = await client.post(
        "/api/d/alpha/estates",
        content=b'{"code": "E1", "name": ',
        headers={"x-csrf-token": officer, "content-type": "application/json"},
    )
    assert_error(response, 400)
    assert await Estate.count() == 0


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"name": "缺编号"}, 400, "validation_failed"),
        ({"code": 12, "name": "类型错"}, 400, "validation_failed"),
        ({"code": "../etc", "name": "坏编号"}, 400, "bad_slug"),
        ({"code": "E1", "name": "  "}, 400, "validation_failed"),
    ],
)
async def test_invalid_estates_are_refused_and_nothing_is_stored(db, client, officer, body, status, code):
    response = await client.post("/api/d/alpha/estates", json=body, headers={"x-csrf-token": officer})
    assert_error(response, status, code)
    assert await Estate.count() == 0


async def test_duplicate_estate_is_a_conflict_and_the_first_survives(db, client, officer):
    first = await client.post(
        "/api/d/alpha/estates", json={"code": "E1", "name": "一号"}, headers={"x-csrf-token": officer}
    )
    assert first.status_code == 201
    again = await client.post(
        "/api/d/alpha/estates", json={"code": "E1", "name": "二号"}, headers={"x-csrf-token": officer}
    )
    assert_error(again, 409, "estate_exists")
    rows = await Estate.select()
    assert [(r["code"], r["name"]) for r in rows] == [("E1", "一号")]


async def test_unknown_jurisdiction_is_404_and_district_unchanged(db, client, officer):
    response = await client.put(
        "/api/d/alpha/jurisdiction", json={"code": "atlantis"}, headers={"x-csrf-token": officer}
    )
    assert_error(response, 404, "jurisdiction_not_found")
    row = await District.select().where(District.slug == "alpha").first()
    assert row["jurisdiction_code"] == ""


async def test_unknown_routes_methods_and_districts(db, client, officer):
    assert_error(await client.get("/api/nothing-here"), 404, "not_found")
    assert_error(
        await client.delete("/api/districts", headers={"x-csrf-token": officer}), 405, "method_not_allowed"
    )
    assert_error(await client.get("/api/d/nowhere/estates"), 404, "district_not_found")


async def test_oversized_body_is_refused(db, client, officer):
    big = {"code": "E1", "name": "x" * (3 * 1024 * 1024)}
    response = await client.post("/api/d/alpha/estates", json=big, headers={"x-csrf-token": officer})
    assert_error(response, 413, "payload_too_large")
    assert await Estate.count() == 0


async def test_too_long_fields_are_refused_on_every_database(db, client, officer):
    response = await client.post(
        "/api/d/alpha/estates", json={"code": "E1", "name": "长" * 201}, headers={"x-csrf-token": officer}
    )
    assert_error(response, 400, "validation_failed")
    assert "200" in response.json()["message"]
    assert await Estate.count() == 0


async def test_no_input_produces_a_500(db, client, officer):
    """A small fuzz over the JSON API: junk bodies, junk params, junk types."""
    junk = [
        b"",
        b"null",
        b"[]",
        b"{}",
        b'"x"',
        b"\xff\xfe",
        b'{"enabled": "yes"}',
        b'{"code": null}',
        b"1e999",
    ]
    paths = [
        ("POST", "/api/districts"),
        ("POST", "/api/d/alpha/estates"),
        ("PUT", "/api/d/alpha/plugins/toy_duty"),
        ("PUT", "/api/d/alpha/jurisdiction"),
        ("GET", "/api/d/alpha/audit?limit=abc"),
        ("GET", "/api/d/alpha/audit?limit=-5"),
        ("GET", "/api/jurisdictions/%00"),
    ]
    for method, path in paths:
        for body in junk:
            response = await client.request(
                method,
                path,
                content=body if method != "GET" else None,
                headers={"x-csrf-token": officer, "content-type": "application/json"},
            )
            assert 400 <= response.status_code < 500 or response.status_code == 200, (
                method,
                path,
                body,
                response.text,
            )
            if response.status_code >= 400:
                assert set(response.json()) >= {"code", "message"}


async def test_html_errors_are_pages_in_chinese(db, client, officer):
    response = await client.get("/d/nowhere", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"] and "未找到该区/街道" in response.text
