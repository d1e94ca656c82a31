"""Run mypy and hold it to the committed baseline (``mypy-baseline.txt``), which may only shrink.

    .venv/bin/python scripts/typecheck.py            # fails on any error not in the baseline
    .venv/bin/python scripts/typecheck.py --update   # rewrite the baseline (after fixing errors)

An error is kept as ``path: [code] message`` without its line number, so moving code does not change
the baseline; an error that is fixed leaves a stale line, which fails the check until the baseline
is updated — the count can only go down.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
LINE = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: (?P<message>.*?)\s+\[(?P<code>[a-z-]+)\]$")


def current_errors() -> Counter[str]:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--no-pretty", "--show-error-codes"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    errors: Counter[str] = Counter()
    for line in result.stdout.splitlines():
        match = LINE.match(line)
        if match:
            errors[f"{match['path']}: [{match['code']}] {match['message']}"] += 1
        elif ": error:" in line:
            errors[line] += 1
    if result.returncode not in (0, 1) or (result.returncode == 1 and not errors):
        sys.exit(f"mypy did not run:\n{result.stdout}\n{result.stderr}")
    return errors


def main() -> int:
    errors = current_errors()
    if "--update" in sys.argv:
        BASELINE.write_text("".join(f"{e}\n" for e in sorted(errors.elements())), encoding="utf-8")
        print(f"baseline: {sum(errors.values())} errors")
        return 0
    baseline = Counter(BASELINE.read_text(encoding="utf-8").splitlines()) if BASELINE.exists() else Counter()
    new = errors - baseline
    fixed = baseline - errors
    print(f"mypy: {sum(errors.values())} errors, baseline {sum(baseline.values())}")
    if new:
        print("new type errors (fix them; the baseline may only shrink):")
        print("".join(f"  {e}\n" for e in sorted(new.elements())), end="")
    if fixed:
        print("fixed since the baseline — run `make typecheck-update` and commit mypy-baseline.txt:")
        print("".join(f"  {e}\n" for e in sorted(fixed.elements())), end="")
    return 1 if new or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
