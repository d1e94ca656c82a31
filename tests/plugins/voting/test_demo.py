"""``wuye demo`` leaves a published demo meeting with printed, delivered ballot sheets."""

from __future__ import annotations

import io
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
    again = wuye_command("demo", env=env)
    assert "已存在" in again.stdout  # idempotent: make run calls it on every start
