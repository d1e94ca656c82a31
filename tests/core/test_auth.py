"""Passwords, sessions, CSRF and bearer tokens; no usable secret in the database."""

from __future__ import annotations

import re

from core.data.tables import ApiToken, Staff, StaffSession
from core.district_services import add_district
from core.identity import auth
from core.identity.staff import issue_token
from core.testing import TEST_PASSWORD, login


async def test_passwords_are_argon2_hashes(db, staff_factory):
    await staff_factory("alice")
    row = await Staff.select().where(Staff.username == "alice").first()
    assert row["password_hash"].startswith("$argon2id$")
    assert TEST_PASSWORD not in row["password_hash"]
    assert auth.verify_password(row["password_hash"], TEST_PASSWORD)
    assert not auth.verify_password(row["password_hash"], TEST_PASSWORD + "x")


async def test_login_sets_an_httponly_session_whose_secret_is_not_stored(db, client, staff_factory):
    await staff_factory("alice", "city_admin")
    await login(client, "alice")
    cookie = client.cookies.get(auth.SESSION_COOKIE)
    assert cookie
    sessions = await StaffSession.select()
    assert len(sessions) == 1
    assert sessions[0]["token_hash"] == auth.sha256_hex(cookie)
    for row in sessions:
        assert cookie not in str(row)
    me = await client.get("/api/me")
    assert me.json()["username"] == "alice"


async def test_wrong_password_is_refused_without_saying_which_part(db, client, staff_factory):
    await staff_factory("alice")
    page = await client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    for username, password in (("alice", "wrong-password"), ("nobody", TEST_PASSWORD)):
        response = await client.post(
            "/login", data={"username": username, "password": password, "csrf_token": csrf}
        )
        assert response.status_code == 401
        assert "用户名或密码不正确" in response.text
    assert client.cookies.get(auth.SESSION_COOKIE) is None


async def test_login_form_requires_its_csrf_token(db, client, staff_factory):
    await staff_factory("alice")
    await client.get("/login")
    response = await client.post(
        "/login", data={"username": "alice", "password": TEST_PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"


async def test_cookie_requests_that_change_state_need_the_csrf_token(db, client, staff_factory):
    await add_district(db, "test", "alpha", "甲街道")
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    without = await client.put("/api/d/alpha/plugins/toy_duty", json={"enabled": True})
    assert without.status_code == 403 and without.json()["code"] == "csrf_failed"
    form_without = await client.post("/d/alpha/plugins/toy_duty", data={"enabled": "1"})
    assert form_without.status_code == 403
    form_with = await client.post("/d/alpha/plugins/toy_duty", data={"enabled": "1", "csrf_token": csrf})
    assert form_with.status_code == 303
    header_with = await client.put(
        "/api/d/alpha/plugins/toy_duty", json={"enabled": False}, headers={"x-csrf-token": csrf}
    )
    assert header_with.status_code == 200 and header_with.json()["changed"] is True


async def test_bearer_tokens_work_without_csrf_and_are_stored_hashed(db, client, staff_factory):
    await add_district(db, "test", "alpha", "甲街道")
    await staff_factory("officer_a", "district_officer", "alpha")
    token = await issue_token("test", "officer_a", "ci", 30)
    assert token.startswith("wuye_")
    stored = await ApiToken.select()
    assert stored[0]["token_hash"] == auth.sha256_hex(token) and token not in str(stored)
    headers = {"authorization": f"Bearer {token}"}
    response = await client.put("/api/d/alpha/plugins/toy_duty", json={"enabled": True}, headers=headers)
    assert response.status_code == 200
    bad = await client.get("/api/me", headers={"authorization": "Bearer wuye_forged"})
    assert bad.status_code == 401 and bad.json()["code"] == "bad_token"


async def test_revoked_or_expired_tokens_are_refused(db, client, staff_factory):
    from datetime import UTC, datetime, timedelta

    await staff_factory("alice", "city_admin")
    token = await issue_token("test", "alice", "ci", 30)
    headers = {"authorization": f"Bearer {token}"}
    assert (await client.get("/api/me", headers=headers)).status_code == 200
    await ApiToken.update({ApiToken.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        ApiToken.token_hash == auth.sha256_hex(token)
    )
    assert (await client.get("/api/me", headers=headers)).status_code == 401
    token2 = await issue_token("test", "alice", "ci", 30)
    await ApiToken.update({ApiToken.revoked: True}).where(ApiToken.token_hash == auth.sha256_hex(token2))
    assert (await client.get("/api/me", headers={"authorization": f"Bearer {token2}"})).status_code == 401


async def test_logout_ends_the_session(db, client, staff_factory):
    await staff_factory("alice", "city_admin")
    csrf = await login(client, "alice")
    assert (await client.get("/api/me")).status_code == 200
    response = await client.post("/logout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert await StaffSession.count() == 0
    assert (await client.get("/api/me")).status_code == 401


async def test_disabled_account_cannot_log_in(db, client, staff_factory):
    await staff_factory("alice", "city_admin")
    await Staff.update({Staff.active: False}).where(Staff.username == "alice")
    page = await client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = await client.post(
        "/login", data={"username": "alice", "password": TEST_PASSWORD, "csrf_token": csrf}
    )
    assert response.status_code == 401 and "停用" in response.text
