"""The web surface holds: CSRF only waived for a bearer token without a cookie, a new session at every
login (a stale cookie does not lock a browser out), login throttling across workers, security headers
on every answer, and pages that run no inline script."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.data.tables import AuditEntry, LoginFailure, StaffSession
from core.district_services import add_district
from core.identity import auth
from core.identity.staff import issue_token
from core.identity.throttle import LIMITS
from core.testing import TEST_PASSWORD, login
from core.web.app import create_app

_FORM_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def _login_form(client: httpx.AsyncClient) -> str:
    page = await client.get("/login")
    found = _FORM_CSRF.search(page.text)
    assert found
    return found.group(1)


async def _try(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    csrf = await _login_form(client)
    return await client.post("/login", data={"username": username, "password": password, "csrf_token": csrf})


# --- CSRF -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("authorization", ["Basic YWxpY2U6eA==", "Bearer", "Bearer wuye_forged", "Token x"])
async def test_a_cookie_request_with_any_authorization_header_still_needs_the_csrf_token(
    db, client, staff_factory, authorization
):
    await add_district(db, "test", "alpha", "甲街道")
    await staff_factory("officer_a", "district_officer", "alpha")
    await login(client, "officer_a")
    response = await client.put(
        "/api/d/alpha/plugins/toy_duty", json={"enabled": True}, headers={"authorization": authorization}
    )
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"


async def test_a_valid_token_beside_a_session_cookie_still_needs_the_csrf_token(db, client, staff_factory):
    await add_district(db, "test", "alpha", "甲街道")
    await staff_factory("officer_a", "district_officer", "alpha")
    token = await issue_token("test", "officer_a", "ci", 30)
    await login(client, "officer_a")
    headers = {"authorization": f"Bearer {token}"}
    riding = await client.put("/api/d/alpha/plugins/toy_duty", json={"enabled": True}, headers=headers)
    assert riding.status_code == 403
    client.cookies.clear()
    alone = await client.put("/api/d/alpha/plugins/toy_duty", json={"enabled": True}, headers=headers)
    assert alone.status_code == 200


# --- sessions ---------------------------------------------------------------------------------------


async def test_a_stale_session_cookie_does_not_block_login(db, client, staff_factory):
    await staff_factory("alice", "city_admin")
    client.cookies.set(auth.SESSION_COOKIE, "expired-or-forged", domain="testserver.local")
    response = await _try(client, "alice", TEST_PASSWORD)
    assert response.status_code == 303, response.text
    assert client.cookies.get(auth.SESSION_COOKIE) != "expired-or-forged"
    assert (await client.get("/api/me")).json()["username"] == "alice"


async def test_every_login_gets_a_new_session_and_ends_the_old_one(db, client, staff_factory):
    await staff_factory("alice", "city_admin")
    await login(client, "alice")
    first = client.cookies.get(auth.SESSION_COOKIE)
    await login(client, "alice")
    second = client.cookies.get(auth.SESSION_COOKIE)
    assert first and second and first != second
    hashes = [row["token_hash"] for row in await StaffSession.select()]
    assert hashes == [auth.sha256_hex(second)]


# --- throttling -------------------------------------------------------------------------------------


async def test_too_many_wrong_passwords_lock_the_account_for_a_while(db, client, staff_factory):
    await staff_factory("alice", "city_admin")
    for _ in range(LIMITS.account):
        assert (await _try(client, "alice", "wrong-password")).status_code == 401
    locked = await _try(client, "alice", TEST_PASSWORD)  # the right password, too late
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.text and "分钟后再试" in locked.text
    assert client.cookies.get(auth.SESSION_COOKIE) is None
    entries = await AuditEntry.select().where(AuditEntry.action == "auth.login_throttled")
    assert entries and entries[0]["target"] == "alice"
    # the window moves on (the rows age): the right password works again and clears the count
    await LoginFailure.update(
        {LoginFailure.at: datetime.now(UTC) - LIMITS.window - timedelta(seconds=1)}
    ).where(LoginFailure.key == "account:alice")
    assert (await _try(client, "alice", TEST_PASSWORD)).status_code == 303
    assert await LoginFailure.count().where(LoginFailure.key == "account:alice") == 0


async def test_the_lock_holds_across_server_workers(db, staff_factory):
    """Two apps over one database (two workers): failures counted by one lock the other."""
    await staff_factory("alice", "city_admin")
    apps = [create_app(db), create_app(db)]
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local")
        for app in apps
    ]
    try:
        for n in range(LIMITS.account):
            assert (await _try(clients[n % 2], "alice", "wrong")).status_code == 401
        assert (await _try(clients[1], "alice", TEST_PASSWORD)).status_code == 429
    finally:
        for c in clients:
            await c.aclose()


async def test_one_address_trying_many_accounts_is_throttled(db, client, staff_factory):
    await staff_factory("alice", "city_admin")
    for n in range(LIMITS.address):
        assert (await _try(client, f"guess{n}", "wrong")).status_code == 401
    assert (await _try(client, "alice", TEST_PASSWORD)).status_code == 429


# --- headers and scripts ----------------------------------------------------------------------------


async def test_every_answer_carries_the_security_headers(db, client, staff_factory):
    await staff_factory("alice", "city_admin")
    anonymous = ["/login", "/nothing-here", "/api/nothing", "/schema/openapi.json", "/verify/none"]
    answers = [await client.get(path) for path in anonymous]
    await login(client, "alice")
    answers.append(await client.get("/console"))
    for response in answers:
        csp = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, response.url
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        expected = "no-referrer" if response.url.path.startswith("/verify") else "same-origin"
        assert response.headers["referrer-policy"] == expected
        assert "strict-transport-security" not in response.headers


async def test_the_owner_ballot_page_sends_no_referrer(db, client):
    response = await client.get("/v/nonexistent")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_hsts_when_the_installation_runs_behind_https(db):
    secure = dataclasses.replace(db, settings=dataclasses.replace(db.settings, cookie_secure=True))
    transport = httpx.ASGITransport(app=create_app(secure))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver.local") as c:
        response = await c.get("/login")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


async def test_plugin_scripts_are_served_from_static(db, client):
    response = await client.get("/static/voting/ballot.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert response.headers["x-content-type-options"] == "nosniff"
    # httpx would normalise a literal "..": send it encoded, as an attacker would
    assert (await client.get("/static/voting/%2e%2e/plugin.py")).status_code == 404
    assert (await client.get("/static/core/console.js")).status_code == 200


def test_no_page_template_holds_an_inline_script(db):
    """CSP allows scripts from /static/ only: a template with inline script would break in the
    browser. Data for a script goes in data- attributes or a JSON block, which is not run."""
    from core.web.pages import page_environment

    env = page_environment(db.pm)
    offenders = []
    for name in env.list_templates(extensions=["html"]):
        source = env.loader.get_source(env, name)[0]
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", source, re.S):
            attrs, body = match.groups()
            if "application/json" in attrs:
                continue
            if "src=" not in attrs or body.strip():
                offenders.append(name)
        if re.search(r"\son[a-z]+\s*=", source) or "javascript:" in source:
            offenders.append(name)
    assert offenders == []


# --- control characters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/v/%00/info",
        "/verify/%00",
        "/verify/abc%00def/bundle.zip",
        "/api/d/al%00pha/estates",
        "/login?next=%00",
    ],
)
async def test_a_control_character_in_a_path_or_query_is_refused_before_the_database(db, client, path):
    response = await client.get(path)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "control_characters"


async def test_a_nul_in_a_json_field_is_refused_and_stores_nothing(db, client, staff_factory):
    from core.data.tables import Estate

    await add_district(db, "test", "alpha", "甲街道")
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    response = await client.post(
        "/api/d/alpha/estates", json={"code": "E1", "name": "一\u0000号"}, headers={"x-csrf-token": csrf}
    )
    assert 400 <= response.status_code < 500, response.text
    assert await Estate.count() == 0


async def test_pages_with_personal_data_are_never_stored_so_back_after_logout_shows_nothing(
    db, client, staff_factory
):
    """Every console page (and the API) carries ``Cache-Control: no-store``: after logout the
    browser has no copy to show on Back. Only static files and the public verification pages may be
    kept."""
    from core.district_services import add_estate, switch_plugin

    district = await add_district(db, "test", "alpha", "甲街道")
    await add_estate(db, "test", district, "E1", "示范花园")
    for plugin in ("voting", "housing_check", "group_rental"):
        await switch_plugin(db, "test", district, plugin, True)
    await staff_factory("officer", "district_officer", "alpha")
    csrf = await login(client, "officer")
    pages = [
        "/console",
        "/d/alpha",
        "/d/alpha/plugins",
        "/d/alpha/voting/",
        "/d/alpha/voting/estates/E1/meetings/new",
        "/d/alpha/housing_check/",
        "/d/alpha/group_rental/",
        "/api/d/alpha",
        "/d/alpha/housing_check/entrustments",
        "/d/alpha/group_rental/cases",
    ]
    seen = {}
    for path in pages:
        response = await client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 200, (path, response.status_code)
        seen[path] = response.headers.get("cache-control")
    assert seen == dict.fromkeys(pages, "no-store")
    await client.post("/logout", data={"csrf_token": csrf})
    for path in pages:
        after = await client.get(path, headers={"accept": "text/html"})
        assert after.status_code in (303, 302, 307, 401), (path, after.status_code)
        assert after.headers.get("cache-control") == "no-store"
    assert (await client.get("/login")).headers["cache-control"] == "no-store"
    script = await client.get("/static/core/console.js")
    assert script.status_code == 200 and script.headers.get("cache-control") != "no-store"
