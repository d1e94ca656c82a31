"""What an elderly owner's phone asks of a page: axe-core finds nothing serious, the text follows the
phone's large font setting without the page spilling sideways, every tap target is a finger wide.

axe-core comes bundled in the ``axe-playwright-python`` package (pinned in pyproject's dev extras):
injected by the test through the DevTools protocol, never served by wuye."""

from __future__ import annotations

from typing import Any

#: The smallest tap target, CSS pixels (WCAG 2.5.5, Apple's and Android's guidelines).
TAP = 44

#: Every axe finding, by page and state, for the test's report (``pytest -s`` prints them).
FOUND: dict[str, list[str]] = {}


async def axe_findings(page: Any, where: str) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (all of axe's rules but the experimental)."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    FOUND[where] = [
        f"{v['id']} ({v['impact']}): " + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in violations
    ]
    print(f"axe {where}: {len(violations)} violations {FOUND[where]}")
    return violations


async def assert_accessible(page: Any, where: str) -> None:
    """No axe violation at all, of any impact."""
    assert await axe_findings(page, where) == [], FOUND[where]


#: The visible things a finger taps: their boxes, and the page's width.
MEASURE = """() => {
  const tapped = "button, a.button, label.opt, summary, input[type=text], input[type=file], textarea, select";
  const box = (e) => e.getBoundingClientRect();
  const visible = (e) => box(e).width > 0 && box(e).height > 0 && getComputedStyle(e).visibility !== "hidden";
  const targets = [...document.querySelectorAll(tapped)].filter(visible).map((e) => ({
    what: e.id || e.textContent.trim().slice(0, 20) || e.tagName,
    width: Math.round(box(e).width),
    height: Math.round(box(e).height),
  }));
  return {scrollWidth: document.documentElement.scrollWidth, targets: targets};
}"""

#: The phone's font setting at its largest: every rem and % of the page doubles.
LARGE_FONT = """() => { document.documentElement.style.fontSize = "200%"; }"""
NORMAL_FONT = """() => { document.documentElement.style.fontSize = ""; }"""


async def assert_fits_phone(page: Any, where: str, width: int = 375) -> dict[str, Any]:
    """At the phone's normal and largest font: no horizontal scroll, tap targets at least ``TAP``
    pixels high and wide. Returns the measures at the largest font."""
    found: dict[str, Any] = {}
    for size, script in (("normal", NORMAL_FONT), ("200%", LARGE_FONT)):
        await page.evaluate(script)
        found = await page.evaluate(MEASURE)
        print(f"{where} at {size} font: scrollWidth {found['scrollWidth']}, tap targets {found['targets']}")
        assert found["scrollWidth"] <= width, (where, size, found)
        small = [t for t in found["targets"] if t["height"] < TAP or t["width"] < TAP]
        assert small == [], (where, size, small)
    large = found
    await page.evaluate(NORMAL_FONT)
    return large
