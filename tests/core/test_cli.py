"""The ``wuye`` command line as an operator uses it: real processes, real exit codes."""

from __future__ import annotations

import json

import pytest

from core.district_services import add_district
from core.testing import TEST_PASSWORD, wuye_command, wuye_env


@pytest.fixture
def cli(db):
    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))

    def run(*args: str, input: str | None = None):
        return wuye_command(*args, env=env, check=False, input=input)

    return run


def assert_user_error(result, *fragments: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


async def test_plugins_list_enable_disable(db, cli):
    await add_district(db, "test", "alpha", "甲街道")
    listed = cli("plugins", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rows["core"]["essential"] and rows["toy_duty"]["duty"]
    assert cli("plugins", "enable", "toy_duty", "--district", "alpha").returncode == 0
    state = {
        r["name"]: r["enabled"] for r in json.loads(cli("plugins", "list", "-d", "alpha", "--json").stdout)
    }
    assert state["toy_duty"] is True
    assert cli("plugins", "disable", "toy_duty", "--district", "alpha").returncode == 0
    state = {
        r["name"]: r["enabled"] for r in json.loads(cli("plugins", "list", "-d", "alpha", "--json").stdout)
    }
    assert state["toy_duty"] is False
    human = cli("plugins", "list", "-d", "alpha")
    assert "toy_duty" in human.stdout and "未启用" in human.stdout


async def test_cli_writes_are_audited_with_the_operator(db, cli):
    from core.data.tables import AuditEntry

    await add_district(db, "test", "alpha", "甲街道")
    cli("plugins", "enable", "toy_duty", "--district", "alpha")
    row = await AuditEntry.select().where(AuditEntry.action == "plugin.enable").first()
    assert row["actor"].startswith("cli:") and row["district"] == "alpha"


async def test_user_errors_exit_2_with_a_chinese_message(db, cli):
    await add_district(db, "test", "alpha", "甲街道")
    assert_user_error(cli("plugins", "enable", "toy_duty", "--district", "nowhere"), "未找到该区/街道")
    assert_user_error(cli("plugins", "enable", "nothing", "--district", "alpha"), "未安装该功能模块")
    assert_user_error(cli("plugins", "disable", "core", "--district", "alpha"), "基础模块不能停用")
    assert_user_error(cli("district", "add", "Bad Slug!", "坏编号"), "编号只能包含")
    assert_user_error(cli("district", "add", "alpha", "重复"), "已存在")
    assert_user_error(cli("district", "set-jurisdiction", "alpha", "atlantis"), "未找到该地区规则")
    assert_user_error(cli("estate", "add", "-d", "alpha", "E1", ""), "不能为空")
    assert_user_error(
        cli("staff", "add", "bob", "--name", "Bob", "--password-stdin", input="short\n"), "至少"
    )
    assert_user_error(cli("staff", "grant", "ghost", "city_admin"), "未找到该工作人员账号")
    assert_user_error(cli("jurisdictions", "show", "atlantis"), "未找到该地区规则")
    usage = cli("no-such-command")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


async def test_staff_accounts_from_the_cli(db, cli):
    from core.data.tables import RoleGrant, Staff

    await add_district(db, "test", "alpha", "甲街道")
    created = cli(
        "staff",
        "add",
        "wang",
        "--name",
        "王干部",
        "--role",
        "district_officer",
        "-d",
        "alpha",
        "--password-stdin",
        input=TEST_PASSWORD + "\n",
    )
    assert created.returncode == 0, created.stderr
    row = await Staff.select().where(Staff.username == "wang").first()
    assert row["password_hash"].startswith("$argon2") and TEST_PASSWORD not in created.stdout + created.stderr
    assert await RoleGrant.count() == 1
    token = cli("staff", "token", "wang", "--days", "7")
    assert token.returncode == 0 and token.stdout.strip().startswith("wuye_")


def test_an_unmigrated_database_is_a_clear_error(tmp_path):
    env = wuye_env(f"sqlite:///{tmp_path}/empty.sqlite3", [])
    result = wuye_command("district", "list", env=env, check=False)
    assert_user_error(result, "wuye migrate")


def test_migrate_is_idempotent(tmp_path):
    env = wuye_env(f"sqlite:///{tmp_path}/m.sqlite3", ["tests.fixtures.plugins.toy_duty.plugin"])
    assert wuye_command("migrate", "-q", env=env).returncode == 0
    again = wuye_command("migrate", env=env)
    assert again.returncode == 0 and "最新" in again.stdout


def test_installed_plugins_can_be_blocked_by_the_environment(tmp_path):
    plugins = ["tests.fixtures.plugins.toy_duty.plugin"]
    env = wuye_env(f"sqlite:///{tmp_path}/b.sqlite3", plugins)
    names = [r["name"] for r in json.loads(wuye_command("plugins", "list", "--json", env=env).stdout)]
    assert "toy_duty" in names
    env["WUYE_DISABLE_PLUGINS"] = "toy_duty"
    names = [r["name"] for r in json.loads(wuye_command("plugins", "list", "--json", env=env).stdout)]
    assert "toy_duty" not in names
    env["WUYE_DISABLE_PLUGINS"] = "core"
    assert_user_error(wuye_command("plugins", "list", env=env, check=False), "基础模块不能停用")


def test_a_default_jurisdiction_that_does_not_exist_is_a_user_error(tmp_path):
    """Every command, and the server before it starts, says which setting is wrong (exit code 2)."""
    env = wuye_env(f"sqlite:///{tmp_path}/x.sqlite3", [], WUYE_VAR_DIR=str(tmp_path))
    env["WUYE_DEFAULT_JURISDICTION"] = "mars"
    for args in (("jurisdictions", "list"), ("run", "--port", "1"), ("voting", "tally", "-m", "X")):
        result = wuye_command(*args, env=env, check=False)
        assert_user_error(result, "默认地区规则 mars 未注册", "national", "WUYE_DEFAULT_JURISDICTION")
