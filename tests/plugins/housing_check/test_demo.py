"""``wuye demo`` leaves two open entrustments in the demo district, one with a household checked, that
the demo officer (the district's housing-check supervisor) sees; running it again adds nothing."""

from __future__ import annotations

import json

from core.testing import wuye_command, wuye_env


def test_demo_entrustments(tmp_path):
    env = wuye_env(f"sqlite:///{tmp_path}/demo.sqlite3", [], WUYE_VAR_DIR=str(tmp_path))
    wuye_command("migrate", "-q", env=env)
    first = wuye_command("demo", env=env).stdout
    assert "住房状况核查委托 2 件" in first and "账号 officer 兼任住房状况核查负责人" in first
    assert "账号 checker" in first
    due = json.loads(wuye_command("housing_check", "due-soon", "--days", "20", "--json", env=env).stdout)
    items = due["entrustments"]
    assert [i["district"] for i in items] == ["demo", "demo"]
    assert [i["scheme"] for i in items] == ["low_rent", "shared_ownership"]  # by due date
    assert all(i["households"] == 2 and not i["overdue"] for i in items)
    assert "陈建国" not in json.dumps(items, ensure_ascii=False)  # the cron list holds no personal data
    listed = json.dumps(due, ensure_ascii=False)
    assert not any(name in listed for name in ("陈建国", "刘秀英", "周明", "吴婷"))  # no member's name
    assert "310101" not in listed  # nor any of the demo's ID numbers
    again = wuye_command("demo", env=env).stdout
    assert "住房状况核查委托：已存在" in again and "账号 checker" not in again
    due_again = json.loads(
        wuye_command("housing_check", "due-soon", "--days", "20", "--json", env=env).stdout
    )
    assert len(due_again["entrustments"]) == 2
