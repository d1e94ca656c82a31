"""docs/security.md names the test that proves each control: every named test exists."""

from __future__ import annotations

import re

from core.settings import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "security.md"
#: `tests/x.py`, `tests/x.py::test_name` or `…::test_name` (the file named last before it)
REFERENCE = re.compile(r"`(tests/[\w/]+\.py|…)(?:::(\w+))?`")


def test_every_test_the_security_doc_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    last_file = None
    checked = 0
    for path, name in REFERENCE.findall(text):
        if path != "…":
            last_file = path
        assert last_file, f"'…::{name}' with no file before it"
        source = PROJECT_ROOT / last_file
        assert source.is_file(), f"docs/security.md names {last_file}, which does not exist"
        if name:
            assert re.search(rf"^(async )?def {name}\(", source.read_text(encoding="utf-8"), re.MULTILINE), (
                f"docs/security.md names {last_file}::{name}, which does not exist"
            )
        checked += 1
    assert checked >= 20
