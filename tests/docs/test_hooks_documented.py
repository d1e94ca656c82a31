"""Every hook has a section in the docs: the exact signature as heading and a runnable example."""

from __future__ import annotations

import re

import pytest

from core.plugins import create_plugin_manager
from core.settings import PROJECT_ROOT

HOOKS_DOC = PROJECT_ROOT / "docs" / "plugin_hooks.md"


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    return {part.splitlines()[0].strip(): part for part in parts[1:]}


def core_hooks() -> list[tuple[str, list[str]]]:
    from core import hookspecs

    pm = create_plugin_manager(entrypoints=False)
    found = []
    for name in sorted(dir(pm.hook)):
        caller = getattr(pm.hook, name)
        spec = getattr(caller, "spec", None)
        if spec is None or spec.namespace is not hookspecs:
            continue
        found.append((name, list(spec.argnames)))
    return found


@pytest.mark.parametrize(("hook", "args"), core_hooks(), ids=[h for h, _ in core_hooks()])
def test_core_hook_is_documented(hook: str, args: list[str]) -> None:
    docs = sections(HOOKS_DOC.read_text(encoding="utf-8"))
    heading = f"{hook}({', '.join(args)})"
    assert heading in docs, f"docs/plugin_hooks.md needs a section '## {heading}'"
    body = docs[heading]
    assert "```python" in body and "@hookimpl" in body and f"def {hook}(" in body, f"{hook}: no example"


def test_no_documented_hook_is_stale() -> None:
    documented = {h.split("(")[0] for h in sections(HOOKS_DOC.read_text(encoding="utf-8")) if "(" in h}
    real = {h for h, _ in core_hooks()}
    assert documented - real <= {"toy_duty_greeting"}, documented - real


def python_blocks(path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL)


@pytest.mark.parametrize("page", ["plugin_hooks.md", "writing_plugins.md", "architecture.md"])
def test_code_examples_compile(page: str) -> None:
    path = PROJECT_ROOT / "docs" / page
    blocks = python_blocks(path)
    assert blocks, f"{page} has no python examples"
    for number, block in enumerate(blocks, start=1):
        compile(block, f"{page}#{number}", "exec")
