"""Build the .docx templates under templates/ (deterministic; run after changing a layout).

.venv/bin/python scripts/make_templates.py
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402

from core.document_layout import (  # noqa: E402
    TITLE_FONT,
    add_page_break_between,
    add_table,
    control,
    new_document,
    official_document,
    paragraph,
)


def ballot_sheets():
    """templates/voting/ballot.docx: one page per voter, with the QR code and the motions."""
    document = new_document()
    control(document, "{%p for s in sheets %}")
    paragraph(
        document,
        "{{ meeting_title }}",
        font=TITLE_FONT,
        size=18,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        exact_line=None,
        space_after=2,
    )
    paragraph(
        document,
        "表 决 票",
        font=TITLE_FONT,
        size=22,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        exact_line=None,
        space_after=6,
    )
    paragraph(document, "表决票编号：{{ s.serial }}　　表决人：{{ s.name }}", size=12, exact_line=20)
    paragraph(document, "房屋：{{ s.units }}　　专有部分面积：{{ s.area }} 平方米", size=12, exact_line=20)
    paragraph(document, "{{ s.qr }}", align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=None, space_before=4)
    paragraph(
        document,
        "用手机扫描上方二维码即可在线表决。无法扫码时，请打开 {{ vote_url }} 并输入投票码：",
        size=10.5,
        exact_line=16,
    )
    paragraph(
        document, "{{ s.code }}", size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=16, space_after=4
    )
    add_table(
        document,
        ["序号", "表决事项", "同意", "反对", "弃权"],
        ["{{ m.position }}", "{{ m.title }}", "□", "□", "□"],
        "m in resolutions",
        [14, 96, 16, 16, 16],
    )
    control(document, "{%p for e in elections %}")
    paragraph(
        document,
        "{{ e.position }}. {{ e.title }}"
        "（应选 {{ e.seats }} 名，最多选 {{ e.seats }} 名，在所选候选人后打“√”）",
        size=12,
        exact_line=20,
        space_before=4,
    )
    paragraph(document, "{% for c in e.candidates %}{{ c.name }} □　　{% endfor %}", size=12, exact_line=20)
    control(document, "{%p endfor %}")
    paragraph(
        document,
        "说明：1. 在线表决后会显示带签名的回执，请保存以便核对。"
        "2. 纸质表决请在方框内打“√”，签名后于 {{ closes }} 前投入票箱或交回。"
        "3. 线上、纸质只能选择一种方式，重复表决按表决规则处理。"
        "4. 本票遗失请向{{ issuer }}申请补发，原票作废。",
        size=10.5,
        exact_line=16,
        space_before=6,
    )
    paragraph(document, "表决结果及核验：{{ verify_url }}", size=10.5, exact_line=16)
    paragraph(
        document,
        "业主（代理人）签名：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿",
        size=12,
        exact_line=24,
        space_before=8,
    )
    add_page_break_between(document)
    control(document, "{%p endfor %}")
    return document


def save_deterministic(document, target: Path) -> None:
    """Save with fixed zip timestamps, so rebuilding an unchanged template changes no bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(info, source.read(item.filename))
    target.write_bytes(out.getvalue())


def main() -> None:
    targets = {
        ROOT / "templates" / "core" / "official.docx": official_document,
        ROOT / "templates" / "voting" / "ballot.docx": ballot_sheets,
    }
    for target, build in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        save_deterministic(build(), target)
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
