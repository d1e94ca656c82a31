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
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from core.documents.typeset import TEXT_WIDTH_PT

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
PAGE_NUMBER_FONT = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
PAGE_NUMBER_PT = 14  # 4号
LINE_PT = 28.95  # 225 mm of text area / 22 lines
ISSUER_PT = 30
#: The paragraph style of the signature block's first paragraph: ``render.keep_signature_with_body``
#: finds it and keeps the body line before it on the same page.
SIGNATURE_STYLE = "Wuye Signature"


def new_document() -> DocxDocument:
    document = Document()
    set_page_layout(document)
    styles = document.styles["Normal"]
    styles.font.size = Pt(BODY_PT)
    set_run_fonts(styles.element, BODY_FONT)
    signature = document.styles.add_style(SIGNATURE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    signature.base_style = styles
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
    """发文机关标志 in red (shrunk to fit one line: ``fit_half_points``), the optional 发文字号, and the
    red separator."""
    issuer = paragraph(
        document,
        "{{ issuer }}",
        font=TITLE_FONT,
        size=ISSUER_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
        space_before=12,
        space_after=6,
        exact_line=None,
    )
    for run in issuer.runs:  # the size follows the name's length (docxtpl renders the attribute)
        rpr = run._r.get_or_add_rPr()
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), "{{ issuer|fit_half_points }}")
    issuer.paragraph_format.keep_with_next = True
    control(document, "{%p if doc_number %}")
    number = paragraph(document, "{{ doc_number }}", align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=None)
    number.paragraph_format.keep_with_next = True
    control(document, "{%p endif %}")
    rule = paragraph(document, "", exact_line=None, space_after=12)
    rule.paragraph_format.keep_with_next = True
    add_rule(rule)


def add_title(document: DocxDocument, expression: str = "title", size: float = TITLE_PT) -> None:
    """The title, centred, broken into lines between words (``title_lines``); ``expression`` is a
    Jinja expression (``title``, or ``"关于召开" ~ meeting_title ~ "的公告"``)."""
    per_line = round(TEXT_WIDTH_PT / size - 0.5, 1)
    title = paragraph(
        document,
        f"{{{{ ({expression})|title_lines({per_line}) }}}}",
        font=TITLE_FONT,
        size=size,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=12,
        space_after=12,
        exact_line=None,
    )
    title.paragraph_format.keep_with_next = True


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
    control(document, "{%p for a in attachments %}")  # one a line, numbers aligned under the first
    item = paragraph(
        document,
        "{% if loop.first %}附件：{% else %}　　　{% endif %}{{ loop.index }}. {{ a }}",
        indent_chars=2,
    )
    item.paragraph_format.keep_with_next = True  # the list stays whole (and with the signature)
    control(document, "{%p endfor %}")
    control(document, "{%p endif %}")


def add_signature(document: DocxDocument) -> None:
    """Issuing office and date at the right, with room for the seal over them. The block keeps
    together, and with the body line before it (``render.keep_signature_with_body``), so it never
    stands alone on a page."""
    first = paragraph(document, "")
    first.style = document.styles[SIGNATURE_STYLE]
    seal = paragraph(document, "（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT, color=RGBColor(0xBF, 0xBF, 0xBF))
    right = paragraph(document, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    right.paragraph_format.right_indent = Pt(BODY_PT * 4)
    date = paragraph(document, "{{ date_cn }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Pt(BODY_PT * 4)
    for para in (first, seal, right):
        para.paragraph_format.keep_with_next = True
    date.paragraph_format.keep_together = True


ANNEX_HEADING = "核验信息（供核验人员使用）"


def add_verification_annex(document: DocxDocument, rows: list[tuple[str, str]]) -> None:
    """After the signature, on a page of its own: an annex (附件) with the full values a verifier
    needs (``rows``: label, Jinja expression) — hashes and keys stay out of the body, whose readers
    get a short 核验码 instead."""
    annex = paragraph(document, "附件", font=BODY_FONT, exact_line=None, space_after=6)
    annex.paragraph_format.page_break_before = True  # a page-break paragraph could leave a blank page
    paragraph(
        document,
        ANNEX_HEADING,
        font=TITLE_FONT,
        size=18,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        exact_line=None,
        space_after=12,
    )
    for label, expression in rows:
        paragraph(document, f"{label}：", size=12, exact_line=20, space_before=6)
        paragraph(document, expression, size=10.5, exact_line=16)


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
    for before in reversed(document.paragraphs):  # the line introducing the table stays with it
        if not before.text.startswith("{%"):
            before.paragraph_format.keep_with_next = True
            break
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
    for index, row in enumerate(rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        if index == 0:
            trpr.append(OxmlElement("w:tblHeader"))  # the header repeats on every page
            for cell in row.cells:
                for para in cell.paragraphs:
                    para.paragraph_format.keep_with_next = True  # and never ends a page alone
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
