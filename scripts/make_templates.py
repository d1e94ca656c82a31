"""Build the .docx templates under templates/ (deterministic; run after changing the layout).

.venv/bin/python scripts/make_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.document_layout import official_document  # noqa: E402


def main() -> None:
    target = ROOT / "templates" / "core" / "official.docx"
    official_document().save(str(target))
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
