"""Build the group_rental .docx templates under plugins/group_rental/templates/ (deterministic).

.venv/bin/python scripts/make_group_rental_templates.py

Kept apart from make_templates.py so the duty's templates can change without touching the others';
it reuses the same GB/T 9704 blocks (core/documents/layout.py) and the same deterministic saving.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from core.documents.layout import (
    add_body_loop,
    add_issuer_block,
    add_signature,
    add_table,
    add_title,
    control,
    new_document,
    official_document,
    paragraph,
    save_deterministic,
)

ROOT = Path(__file__).resolve().parent.parent


def rectification_order():
    """order.docx: 责令改正通知书 with the findings, basis, deadline and a receipt."""
    document = new_document()
    add_issuer_block(document)
    add_title(document)
    paragraph(document, "{{ addressee }}：")
    paragraph(
        document,
        "经会同有关部门检查，你（单位）出租的位于{{ address }}的房屋存在下列“群租”情形：",
        indent_chars=2,
    )
    add_table(
        document,
        ["序号", "情形", "房间", "事实与数据"],
        ["{{ f.no }}", "{{ f.criterion }}", "{{ f.room }}", "{{ f.detail }}"],
        "f in findings",
        [12, 50, 24, 70],
        size=10.5,
    )
    paragraph(
        document,
        "上述行为违反了{{ legal_basis }}的规定。现责令你（单位）自收到本通知书之日起"
        "{{ rectification_days }}{{ rectification_unit }}内，即于{{ deadline_cn }}前改正："
        "恢复房屋原始设计用途，拆除分割搭建设施，停止按床位出租，使每个出租房间的居住人数和人均居住面积符合规定。",
        indent_chars=2,
        space_before=6,
    )
    paragraph(
        document,
        "逾期不改正的，本所将会同居民委员会、物业服务企业将认定及送达材料移送区房屋行政管理部门依法处理。",
        indent_chars=2,
    )
    control(document, "{%p if provisional %}")
    paragraph(document, "（注：期限所涉年度的节假日安排尚未公布，上述日期为暂定。）", size=12, indent_chars=2)
    control(document, "{%p endif %}")
    add_signature(document)
    paragraph(document, "")
    paragraph(
        document, "送 达 回 执", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, space_before=12, exact_line=None
    )
    paragraph(document, "案件编号：{{ case }}　通知书：第{{ number }}号", size=12, exact_line=22)
    paragraph(
        document,
        "受送达人（签收）：＿＿＿＿＿＿＿＿　　签收时间：＿＿＿＿年＿＿月＿＿日＿＿时",
        size=12,
        exact_line=22,
    )
    paragraph(document, "送达人：＿＿＿＿＿＿＿＿　　见证人：＿＿＿＿＿＿＿＿", size=12, exact_line=22)
    return document


def record():
    """record.docx: an inspection record or proof of service (key/value table)."""
    document = new_document()
    add_issuer_block(document)
    add_title(document)
    add_table(document, ["项目", "内容"], ["{{ r.k }}", "{{ r.v }}"], "r in rows", [40, 116], size=12)
    paragraph(document, "")
    add_body_loop(document)
    paragraph(document, "")
    paragraph(
        document, "记录人：＿＿＿＿＿＿＿＿　　当事人或见证人：＿＿＿＿＿＿＿＿", size=12, exact_line=22
    )
    add_signature(document)
    return document


def main() -> None:
    folder = ROOT / "plugins" / "group_rental" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    targets = {
        folder / "order.docx": rectification_order,
        folder / "record.docx": record,
        folder / "cover.docx": official_document,
    }
    for target, build in targets.items():
        save_deterministic(build(), target)
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
