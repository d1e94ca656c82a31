"""``wuye demo`` leaves a published demo meeting with printed, delivered ballot sheets."""

from __future__ import annotations

import io
import json
import re

from docx import Document

from core.testing import wuye_command, wuye_env


def test_demo_meeting_with_printed_ballots(tmp_path):
    env = wuye_env(f"sqlite:///{tmp_path}/demo.sqlite3", [], WUYE_VAR_DIR=str(tmp_path))
    wuye_command("migrate", "-q", env=env)
    first = wuye_command("demo", env=env)
    assert "业主名册 120 户" in first.stdout and "表决会议" in first.stdout
    meeting = re.search(r"表决会议 (\S+)（已发布", first.stdout).group(1)
    url = re.search(r"二维码地址：(\S+)", first.stdout).group(1)
    assert f"/v/{meeting}#k=" in url
    sheets = Document(io.BytesIO((tmp_path / "demo" / "ballots.docx").read_bytes()))
    assert len(sheets.inline_shapes) == 116  # 120 units: the developer's 4 count once, one buyer of 2 once
    shown = wuye_command("voting", "meeting", "show", meeting, env=env)
    assert '"status": "published"' in shown.stdout and '"voters": 116' in shown.stdout
    # a second estate with a sealed meeting: a result to look at and a bundle that verifies
    closed = re.search(
        r"已封存的表决会议 (\S+)（示范花园二期：网上表决 (\d+) 张，纸质 (\d+) 张，其中 (\d+) 户", first.stdout
    )
    assert closed, first.stdout
    online, paper, both = (int(closed.group(i)) for i in (2, 3, 4))
    assert online + paper - both >= 200 and both > 0
    bundle = tmp_path / "demo" / "result-bundle.zip"
    verified = wuye_command("verify", str(bundle), "--json", env=env)
    report = json.loads(verified.stdout)
    assert report["ok"] and report["checked"]["ballots"] == online and report["checked"]["paper"] == paper
    assert report["rehearsal"] is True  # the demo district is a training district (演练), on its clock
    district = json.loads(wuye_command("district", "list", "--json", env=env).stdout)
    assert [d["training"] for d in district if d["slug"] == "demo"] == [True]
    assert [m["passed"] for m in report["tally"]["motions"]] == [True, True, False, True]
    assert (tmp_path / "demo" / "result.docx").stat().st_size > 0
    tally = json.loads(wuye_command("voting", "tally", "-m", closed.group(1), "--json", env=env).stdout)
    assert tally["motions"][2]["reason"].endswith("本事项未获通过。")
    again = wuye_command("demo", env=env)
    assert "已存在" in again.stdout  # idempotent: make run calls it on every start
