"""Build plugins/housing_check/templates/report.docx (住房状况核查结果报告) from the GB/T 9704 blocks of
core/documents/layout.py (deterministic). Run after changing the layout::

    .venv/bin/python scripts/make_housing_check_templates.py

Kept apart from make_templates.py so the duty's template can change without touching the others'; it
reuses the same blocks and the same deterministic saving.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from core.documents.layout import (
    add_issuer_block,
    add_signature,
    add_table,
    add_title,
    control,
    new_document,
    paragraph,
    save_deterministic,
)

ROOT = Path(__file__).resolve().parent.parent

TARGET = ROOT / "plugins" / "housing_check" / "templates" / "report.docx"


def heading(document, text: str, **kwargs):  # type: ignore[no-untyped-def]
    """A heading line that never ends a page: it keeps with what it introduces."""
    para = paragraph(document, text, **kwargs)
    para.paragraph_format.keep_with_next = True
    return para


def build():  # type: ignore[no-untyped-def]
    document = new_document()
    add_issuer_block(document)
    add_title(document)
    paragraph(document, "{{ addressee }}：")
    control(document, "{%p for para in intro %}")
    paragraph(document, "{{ para }}", indent_chars=2)
    control(document, "{%p endfor %}")
    control(document, "{%p for h in households %}")
    heading(document, "{{ h.heading }}", bold=True, indent_chars=2)
    paragraph(document, "（一）家庭成员", indent_chars=2)
    add_table(
        document,
        ["序号", "姓名", "与申请人关系", "身份证号码"],
        ["{{ m.n }}", "{{ m.name }}", "{{ m.relation }}", "{{ m.id_number }}"],
        "m in h.members",
        [16, 40, 40, 60],
        size=12,
    )
    heading(document, "（二）核查经过", indent_chars=2)
    control(document, "{%p for s in h.steps %}")
    paragraph(document, "{{ s }}", indent_chars=2)
    control(document, "{%p endfor %}")
    heading(document, "（三）住房面积计算", indent_chars=2)
    control(document, "{%p for c in h.computation %}")
    paragraph(document, "{{ c }}", indent_chars=2)
    control(document, "{%p endfor %}")
    paragraph(document, "{{ h.conclusion }}", indent_chars=2)
    control(document, "{%p endfor %}")
    control(document, "{%p for para in closing %}")  # the closing (deadline, confidentiality), the
    closing = paragraph(document, "{{ para }}", indent_chars=2)  # officers and the signature: one block
    closing.paragraph_format.keep_with_next = True
    control(document, "{%p endfor %}")
    officers = paragraph(document, "核查人员：{{ officers }}", align=WD_ALIGN_PARAGRAPH.LEFT, indent_chars=2)
    officers.paragraph_format.keep_with_next = True
    add_signature(document)
    return document


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    save_deterministic(build(), TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
