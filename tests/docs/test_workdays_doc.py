"""docs/workdays.md, which `wuye workdays load --help` points to, exists and its example notice loads."""

from __future__ import annotations

import re

from core.calendar.workdays import parse_notice
from core.settings import PROJECT_ROOT


def test_the_documented_notice_file_parses_as_documented() -> None:
    text = (PROJECT_ROOT / "docs" / "workdays.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```toml\n(.*?)```", text, re.S)
    schedule = parse_notice(example)
    assert schedule.year == 2027 and schedule.official
    assert len(schedule.holidays) == 3 + 8 + 7 and len(schedule.workdays) == 3
    help_text = (PROJECT_ROOT / "core" / "cli" / "workdays.py").read_text(encoding="utf-8")
    assert "docs/workdays.md" in help_text
