"""Building blocks for official-document templates in the GB/T 9704-2012 layout (python-docx).

Used offline by ``scripts/make_templates.py`` to build the ``.docx`` templates the packages ship
(``core/templates/``, ``plugins/<name>/templates/``)
(office staff may then edit them in Word). The blocks write docxtpl tags (``{{ issuer }}``,
``{%p for para in paragraphs %}``) into the document.

Layout: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; issuing office (发文机关标志) in
red 小标宋 with a red rule below; title in 2号 (22 pt) 小标宋; body in 3号 (16 pt) 仿宋, first-line
indent of two characters, 22 lines a page; signature, date in Chinese numerals and a seal area;
page numbers "— 1 —" in 4号 宋体.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
PAGE_NUMBER_FONT = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
PAGE_NUMBER_PT = 14  # 4号
LINE_PT = 28.95  # 225 mm of text area / 22 lines


def new_document() -> DocxDocument:
    document = Document()
    set_page_layout(document)
    styles = document.styles["Normal"]
    styles.font.size = Pt(BODY_PT)
    set_run_fonts(styles.element, BODY_FONT)
    for paragraph in list(document.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)
    return document


def set_page_layout(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    add_page_number(document)


def set_run_fonts(element: object, east_asian: str, latin: str | None = None) -> None:
    """Set the fonts of a run or style element, east-asian included, with Chinese language tags."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin or east_asian)
    fonts.set(qn("w:eastAsia"), east_asian)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def styled_run(
    paragraph: Paragraph,
    text: str,
    font: str,
    size: float,
    *,
    color: RGBColor | None = None,
    bold: bool = False,
) -> Run:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    set_run_fonts(run._element, font)
    return run


def paragraph(
    document: DocxDocument,
    text: str = "",
    *,
    font: str = BODY_FONT,
    size: float = BODY_PT,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent_chars: float = 0,
    color: RGBColor | None = None,
    bold: bool = False,
    space_before: float = 0,
    space_after: float = 0,
    exact_line: float | None = LINE_PT,
) -> Paragraph:
    para = document.add_paragraph()
    fmt = para.paragraph_format
    if align is not None:
        para.alignment = align
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    if exact_line:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact_line)
    if text:
        styled_run(para, text, font, size, color=color, bold=bold)
    return para


def control(document: DocxDocument, tag: str) -> Paragraph:
    """A paragraph holding only a docxtpl paragraph tag (``{%p if x %}``); docxtpl removes it."""
    return paragraph(document, tag, exact_line=None)


def add_rule(para: Paragraph, color: str = "E60012", size_eighths: int = 12) -> None:
    """A coloured line under ``para`` (the red separator of the letterhead)."""
    ppr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    ppr.append(borders)


def add_issuer_block(document: DocxDocument) -> None:
    """发文机关标志 in red, the optional 发文字号, and the red separator."""
    paragraph(
        document,
        "{{ issuer }}",
        font=TITLE_FONT,
        size=30,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
        space_before=12,
        space_after=6,
        exact_line=None,
    )
    control(document, "{%p if doc_number %}")
    paragraph(document, "{{ doc_number }}", align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=None)
    control(document, "{%p endif %}")
    rule = paragraph(document, "", exact_line=None, space_after=12)
    add_rule(rule)


def add_title(document: DocxDocument, expression: str = "{{ title }}") -> None:
    paragraph(
        document,
        expression,
        font=TITLE_FONT,
        size=TITLE_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=12,
        space_after=12,
        exact_line=None,
    )


def add_addressee(document: DocxDocument) -> None:
    control(document, "{%p if addressee %}")
    paragraph(document, "{{ addressee }}：")
    control(document, "{%p endif %}")


def add_body_loop(document: DocxDocument, items: str = "paragraphs") -> None:
    control(document, f"{{%p for para in {items} %}}")
    paragraph(document, "{{ para }}", indent_chars=2)
    control(document, "{%p endfor %}")


def add_attachments(document: DocxDocument) -> None:
    control(document, "{%p if attachments %}")
    paragraph(document, "")
    paragraph(
        document,
        "附件：{% for a in attachments %}{{ loop.index }}. {{ a }}{% if not loop.last %}　{% endif %}"
        "{% endfor %}",
        indent_chars=2,
    )
    control(document, "{%p endif %}")


def add_signature(document: DocxDocument) -> None:
    """Issuing office and date at the right, with room for the seal over them."""
    paragraph(document, "")
    paragraph(document, "（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT, color=RGBColor(0xBF, 0xBF, 0xBF))
    right = paragraph(document, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    right.paragraph_format.right_indent = Pt(BODY_PT * 4)
    date = paragraph(document, "{{ date_cn }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Pt(BODY_PT * 4)


def add_page_number(document: DocxDocument) -> None:
    """ "— 1 —" centred in the footer, as a PAGE field."""
    footer = document.sections[0].footer
    para = footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(para, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    run = styled_run(para, "", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    styled_run(para, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)


def official_document() -> DocxDocument:
    """The base official document: letterhead, title, addressee, body, attachments, signature."""
    document = new_document()
    add_issuer_block(document)
    add_title(document)
    add_addressee(document)
    add_body_loop(document)
    add_attachments(document)
    add_signature(document)
    return document


def add_page_break_between(document: DocxDocument, loop_var: str = "loop") -> None:
    """Inside a ``{%p for %}`` loop: a page break after every item but the last."""
    control(document, f"{{%p if not {loop_var}.last %}}")
    para = document.add_paragraph()
    run = para.add_run()
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    run._r.append(br)
    control(document, "{%p endif %}")


def add_table(
    document: DocxDocument,
    header: list[str],
    row_cells: list[str],
    loop: str,
    widths_mm: list[float],
    size: float = 12,
) -> None:
    """A bordered table: a header row, and one row repeated by docxtpl's ``{%tr for … %}``."""
    table = document.add_table(rows=4, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    rows = table.rows
    for cells, texts, bold in ((rows[0].cells, header, True), (rows[2].cells, row_cells, False)):
        for cell, text in zip(cells, texts, strict=True):
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER if bold or len(text) < 12 else None
            styled_run(para, text, BODY_FONT, size, bold=bold)
    styled_run(rows[1].cells[0].paragraphs[0], f"{{%tr for {loop} %}}", BODY_FONT, size)
    styled_run(rows[3].cells[0].paragraphs[0], "{%tr endfor %}", BODY_FONT, size)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid: what LibreOffice and WPS read
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def save_deterministic(document: DocxDocument, target: Path) -> None:
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
