"""Documents converted with LibreOffice; `wuye group_rental assess` and `overdue` as operators run them."""

from __future__ import annotations

import json
import subprocess

import pytest

from core.documents.render import docx_to_pdf
from core.testing import require_tool, wuye_command, wuye_env
from plugins.group_rental.services.cases import open_case
from plugins.group_rental.services.inspections import record_inspection
from plugins.group_rental.services.orders import issue_order, order_docx
from tests.plugins.group_rental.conftest import flat, inspection, room


async def test_rectification_order_converts_with_libreoffice(db, district, tmp_path):
    require_tool("soffice", "libreoffice")
    pdftotext = require_tool("pdftotext")
    case = (await open_case(db, district, {"address": "示范路1号101室", "party": "张某某"}, "officer"))[
        "case"
    ]
    await record_inspection(db, district, case, inspection(flat(room(area="9.00", occupants=3))), "officer")
    await issue_order(db, district, case, {}, "officer")
    pdf = docx_to_pdf(await order_docx(db, district, case, 1, "officer"), tmp_path)
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    assert "责令改正通知书" in compact and "张某某" in compact and "人均居住面积3.00平方米" in compact


def cli_env() -> dict[str, str]:
    return wuye_env("sqlite:////nonexistent/never-used.sqlite3", [])


def test_cli_assess_json_shape(tmp_path):
    data = flat(
        room("主卧", "living", "10.00", 2),
        room("客厅", "living_room", "12.00", 1, partitioned=True, daylight=True, ventilation=True),
        room("阳台", "balcony", "3.00", 1),
        agency=True,
    )
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = json.loads(
        wuye_command(
            "group_rental", "assess", str(path), "-j", "shanghai-seed", "--json", env=cli_env()
        ).stdout
    )
    assert set(out) == {"profile", "group_rental", "findings", "exceptions"}
    assert out["profile"] == "shanghai-seed" and out["group_rental"] is True
    assert [(f["criterion"], f["room"]) for f in out["findings"]] == [(3, "阳台")]
    assert all({"criterion", "room", "detail", "article"} <= set(f) for f in out["findings"])
    assert [e["room"] for e in out["exceptions"]] == ["客厅"]
    national = json.loads(wuye_command("group_rental", "assess", str(path), "--json", env=cli_env()).stdout)
    assert national["profile"] == "national" and [f["criterion"] for f in national["findings"]] == [2, 3]
    text = wuye_command(
        "group_rental", "assess", str(path), "--jurisdiction", "beijing", env=cli_env()
    ).stdout
    assert "属于“群租”" in text and "北京" in text


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (
            '{"collective_dormitory": false, "agency_managed": false, "rooms": '
            '[{"name": "a", "designed_use": "living", "usable_area_m2": 12, "let": true, "occupants": 1}]}',
            "rooms[0].usable_area_m2",
        ),
        ('{"collective_dormitory": false, "rooms": []}', "agency_managed"),
        ("{not json", "不是有效的 JSON"),
    ],
)
def test_cli_assess_bad_input_exits_2_naming_the_field(tmp_path, content, needle):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = wuye_command("group_rental", "assess", str(path), env=cli_env(), check=False)
    assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_cli_assess_uses_the_configured_default_profile(tmp_path):
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(flat()), encoding="utf-8")
    env = {**cli_env(), "WUYE_DEFAULT_JURISDICTION": "shanghai-seed"}
    out = json.loads(wuye_command("group_rental", "assess", str(path), "--json", env=env).stdout)
    assert out["profile"] == "shanghai-seed"
    explicit = wuye_command("group_rental", "assess", str(path), "-j", "national", "--json", env=env)
    assert json.loads(explicit.stdout)["profile"] == "national"


def test_cli_assess_unknown_profile_and_missing_file(tmp_path):
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(flat()), encoding="utf-8")
    unknown = wuye_command("group_rental", "assess", str(path), "-j", "atlantis", env=cli_env(), check=False)
    assert unknown.returncode == 2 and "atlantis" in unknown.stderr
    missing = wuye_command("group_rental", "assess", str(tmp_path / "nope.json"), env=cli_env(), check=False)
    assert missing.returncode == 2 and "无法读取文件" in missing.stderr


async def test_cli_overdue(db, district):
    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))
    result = wuye_command("group_rental", "overdue", "-d", "alpha", "--json", env=env)
    assert json.loads(result.stdout) == []
    bad = wuye_command("group_rental", "overdue", "-d", "nowhere", env=env, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "未找到该区/街道" in bad.stderr and bad.stdout == ""


def test_demo_adds_an_overdue_case_once(tmp_path):
    env = wuye_env(f"sqlite:///{tmp_path}/demo.sqlite3", [], WUYE_VAR_DIR=str(tmp_path))
    wuye_command("migrate", "-q", env=env)
    first = wuye_command("demo", env=env)
    assert "群租案件 2 件" in first.stdout, first.stdout
    slug = json.loads(wuye_command("district", "list", "--json", env=env).stdout)[0]["slug"]
    overdue = json.loads(wuye_command("group_rental", "overdue", "-d", slug, "--json", env=env).stdout)
    assert len(overdue) == 1 and overdue[0]["days_overdue"] >= 1
    again = wuye_command("demo", env=env)
    assert "群租案件：已存在" in again.stdout
