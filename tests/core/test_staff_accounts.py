"""账号管理: a district administrator manages the district's staff accounts in the console — add,
disable, reset a password, grant and take back roles, issue and revoke API tokens — and nobody else
can; each change is audited; a new password or token is shown once and stored only as a hash."""

from __future__ import annotations

import re

import httpx
import pytest

from core.data.tables import ApiToken, AuditEntry, RoleGrant, Staff
from core.district_services import add_district, add_estate, switch_plugin
from core.plugins import duty_names
from core.testing import login

SECRET = re.compile(r'<code id="secret-value"[^>]*>([^<]+)</code>')


@pytest.fixture
async def alpha(db, staff_factory):
    district = await add_district(db, "test", "alpha", "甲街道")
    await add_district(db, "test", "beta", "乙街道")
    await add_estate(db, "test", district, "E1", "一号小区")
    for plugin in duty_names(db.pm):
        await switch_plugin(db, "test", district, plugin, True)
    await staff_factory("boss", "district_admin", "alpha")
    await staff_factory("officer", "district_officer", "alpha")
    await staff_factory("boss_b", "district_admin", "beta")
    await staff_factory("both", "district_officer", "alpha")
    await staff_factory("both", "district_officer", "beta")
    return district


def other_client(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """A second browser on the same app (its own cookies)."""
    return httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))


async def bearer(client: httpx.AsyncClient, token: str) -> httpx.Response:
    """``/api/me`` with the token alone (no session cookie)."""
    async with other_client(client) as program:
        return await program.get("/api/me", headers={"authorization": f"Bearer {token}"})


async def post(client, csrf: str, path: str, **fields: str) -> httpx.Response:
    return await client.post(
        f"/d/alpha/staff{path}", data={"csrf_token": csrf, **fields}, headers={"accept": "text/html"}
    )


async def test_the_administrator_adds_an_account_that_logs_in_with_the_password_shown_once(db, client, alpha):
    csrf = await login(client, "boss")
    page = await client.get("/d/alpha/staff/")
    assert page.status_code == 200 and "账号管理" in page.text and "officer" in page.text
    assert "boss_b" not in page.text  # another district's account is not listed
    created = await post(client, csrf, "/", username="wang.li", display_name="王丽", role="checker")
    assert created.status_code == 200, created.text
    password = SECRET.search(created.text).group(1)
    assert "只显示这一次" in created.text and "住房核查员" in created.text
    row = await Staff.select().where(Staff.username == "wang.li").first()
    assert row["display_name"] == "王丽" and password not in row["password_hash"]
    grant = await RoleGrant.select().where(RoleGrant.staff == row["id"]).first()
    assert grant["role"] == "checker" and grant["district"] == alpha.id
    entry = await AuditEntry.select().where(AuditEntry.target == "wang.li").first()
    assert entry["district"] == "alpha" and entry["target"] == "wang.li" and "boss" in entry["actor"]
    assert password not in str(await AuditEntry.select())
    async with other_client(client) as browser:
        await login(browser, "wang.li", password)
        home = await browser.get("/d/alpha")
        assert home.status_code == 200 and "/d/alpha/housing_check/" in home.text
        assert "/d/alpha/voting/" not in home.text and "功能模块" not in home.text
        assert 'action="/d/alpha/estates"' not in home.text and "一号小区" not in home.text
    # the page, opened again, does not show the password any more
    assert password not in (await client.get("/d/alpha/staff/")).text


async def test_bad_input_comes_back_on_the_form_with_what_was_typed(db, client, alpha):
    csrf = await login(client, "boss")
    bad = await post(client, csrf, "/", username="王丽", display_name="王丽", role="district_officer")
    assert bad.status_code == 400 and 'id="error-add"' in bad.text and "用户名须以小写字母开头" in bad.text
    assert 'value="王丽"' in bad.text  # the name typed is kept
    no_estate = await post(client, csrf, "/", username="zhang", display_name="张", role="counter")
    assert no_estate.status_code == 400 and "“计票人”须指定所在小区" in no_estate.text
    taken = await post(client, csrf, "/", username="officer", display_name="重名", role="district_officer")
    assert taken.status_code == 409 and "该用户名已存在" in taken.text
    city = await post(client, csrf, "/", username="zhao", display_name="赵", role="city_admin")
    assert city.status_code == 400
    assert await Staff.count().where(Staff.username.is_in(["zhang", "zhao"])) == 0


async def test_disabling_ends_sessions_and_tokens_and_a_reset_password_replaces_the_old(db, client, alpha):
    csrf = await login(client, "boss")
    issued = await post(client, csrf, "/officer/tokens", label="区房管局数据交换", days="90")
    assert issued.status_code == 200, issued.text
    token = SECRET.search(issued.text).group(1)
    assert token.startswith("wuye_") and await ApiToken.count() == 1
    async with other_client(client) as browser:
        await login(browser, "officer")
        assert (await browser.get("/d/alpha")).status_code == 200
        me = await bearer(client, token)
        assert me.status_code == 200 and me.json()["username"] == "officer"
        off = await post(client, csrf, "/officer/active", active="0")
        assert off.status_code == 200 and "已停用账号 officer" in off.text
        assert (await browser.get("/d/alpha", headers={"accept": "application/json"})).status_code == 401
        assert (await bearer(client, token)).status_code == 401
        on = await post(client, csrf, "/officer/active", active="1")
        assert on.status_code == 200
        reset = await post(client, csrf, "/officer/password")
        password = SECRET.search(reset.text).group(1)
    async with other_client(client) as browser:
        refused = await browser.post(
            "/login", data={"username": "officer", "password": "correct-horse-battery"}
        )
        assert refused.status_code in {400, 401, 403} or "用户名或密码" in refused.text
        await login(browser, "officer", password)
    actions = [
        r["action"] for r in await AuditEntry.select(AuditEntry.action).where(AuditEntry.district == "alpha")
    ]
    for action in ("staff.token", "staff.disable", "staff.enable", "staff.password_reset"):
        assert action in actions, action


async def test_roles_are_granted_and_taken_back_and_tokens_revoked(db, client, alpha):
    csrf = await login(client, "boss")
    granted = await post(client, csrf, "/officer/roles", role="committee_member", estate="E1")
    assert granted.status_code == 200 and "业委会成员（一号小区）" in granted.text
    again = await post(client, csrf, "/officer/roles", role="committee_member", estate="E1")
    assert again.status_code == 409 and 'id="error-grant-officer"' in again.text
    sid = (await Staff.select(Staff.id).where(Staff.username == "officer").first())["id"]
    member = (
        await RoleGrant.select()
        .where((RoleGrant.staff == sid) & (RoleGrant.role == "committee_member"))
        .first()
    )
    taken = await post(client, csrf, f"/officer/roles/{member['id']}/revoke")
    assert taken.status_code == 200
    assert not await RoleGrant.exists().where(RoleGrant.id == member["id"])
    issued = await post(client, csrf, "/officer/tokens", label="测试", days="30")
    token = SECRET.search(issued.text).group(1)
    token_id = (await ApiToken.select(ApiToken.id).first())["id"]
    revoked = await post(client, csrf, f"/officer/tokens/{token_id}/revoke")
    assert revoked.status_code == 200 and "已失效" in revoked.text
    assert (await bearer(client, token)).status_code == 401
    bad_days = await post(client, csrf, "/officer/tokens", label="测试", days="9999")
    assert bad_days.status_code == 400 and "有效期只能选择" in bad_days.text


async def test_only_the_districts_administrator_and_only_for_its_own_accounts(db, client, alpha):
    csrf = await login(client, "officer")
    assert (await client.get("/d/alpha/staff/")).status_code == 403
    assert "账号管理" not in (await client.get("/d/alpha")).text
    for path, fields in (
        ("/", {"username": "x1", "display_name": "x", "role": "district_officer"}),
        ("/boss/active", {"active": "0"}),
        ("/boss/password", {}),
        ("/boss/roles", {"role": "district_admin"}),
        ("/officer/tokens", {"label": "x", "days": "30"}),
    ):
        refused = await post(client, csrf, path, **fields)
        assert refused.status_code == 403, (path, refused.text[:200])
    assert await Staff.count() == 4 and await ApiToken.count() == 0
    csrf = await login(client, "boss_b")  # beta's administrator
    assert (await client.get("/d/alpha/staff/")).status_code == 403
    assert (await post(client, csrf, "/officer/active", active="0")).status_code == 403
    csrf = await login(client, "boss")
    assert "账号管理" in (await client.get("/d/alpha")).text
    # an account that also works in beta is listed but changed only by the city
    shared = await post(client, csrf, "/both/password")
    assert shared.status_code == 403 and "在其他街道也有角色" in shared.text
    assert (await post(client, csrf, "/boss_b/active", active="0")).status_code == 404
    own = await post(client, csrf, "/boss/active", active="0")
    assert own.status_code == 400 and "不能停用自己的账号" in own.text
    assert await Staff.count().where(Staff.active.eq(False)) == 0
