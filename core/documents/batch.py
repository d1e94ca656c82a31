"""One document with a page per record (ballot sheets, notices to every owner), fast.

docxtpl renders a loop of thousands of pages slowly, and python-docx looks up every added image among
all earlier ones (quadratic). Here the template is rendered ONCE, for a record of placeholder tokens;
the rendered page is then repeated per record by string substitution (values XML-escaped), each with
its own image part, and the package is written directly. The template is an ordinary docxtpl
template whose loop variable is ``{%p for s in sheets %}`` … ``{%p endfor %}``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from core.documents.render import jinja_env

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
PAGE_BREAK = f'<w:p xmlns:w="{W_NS}"><w:r><w:br w:type="page"/></w:r></w:p>'
BODY_MARK = "\u27e6BODY\u27e7"
_TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU\x00\x00\x00"
    b"\nIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\x18\xdd\x8d\xb0\x00\x00\x00\x00IEND\xaeB`\x82"
)


def token(field: str) -> str:
    return f"\u27e6{field}\u27e7"


def render_repeated(
    template: DocxTemplate,
    context: dict[str, Any],
    records: Sequence[dict[str, str]],
    *,
    image_field: str,
    images: Sequence[bytes],
    image_width_mm: float,
    loop_name: str = "sheets",
) -> bytes:
    """Render ``template`` with one page per record; ``images[i]`` goes where ``image_field`` is."""
    if len(images) != len(records):
        raise ValueError("one image per record")
    fields = sorted({key for record in records for key in record} - {image_field})
    placeholder = {field: token(field) for field in fields}
    placeholder[image_field] = InlineImage(template, io.BytesIO(_TINY_PNG), width=Mm(image_width_mm))
    template.render({**context, loop_name: [placeholder]}, jinja_env=jinja_env(), autoescape=True)

    body = template.docx.element.body
    children = [child for child in body if child.tag != f"{{{W_NS}}}sectPr"]
    page = "".join(etree.tostring(child, encoding="unicode") for child in children)
    for child in children:
        body.remove(child)
    marker = etree.SubElement(body, f"{{{W_NS}}}p")
    run = etree.SubElement(marker, f"{{{W_NS}}}r")
    etree.SubElement(run, f"{{{W_NS}}}t").text = BODY_MARK
    body.insert(0, marker)

    embed = re.search(r'r:embed="(rId\d+)"', page)
    if embed is None:
        raise ValueError(f"the template does not show {{{{ s.{image_field} }}}}")
    sample_rid = embed.group(1)
    page = page.replace(f'r:embed="{sample_rid}"', 'r:embed="\u27e6rid\u27e7"')
    page = re.sub(r'(<wp:docPr [^>]*?)id="\d+"', '\\1id="\u27e6pid\u27e7"', page)
    missing = [field for field in fields if token(field) not in page]
    if missing:
        raise ValueError(f"fields not shown on the page: {missing}")

    buffer = io.BytesIO()
    template.save(buffer)
    return _assemble(buffer.getvalue(), page, records, fields, images, sample_rid)


def _assemble(
    package: bytes,
    page: str,
    records: Sequence[dict[str, str]],
    fields: list[str],
    images: Sequence[bytes],
    sample_rid: str,
) -> bytes:
    pattern = re.compile("\u27e6(" + "|".join(re.escape(f) for f in [*fields, "rid", "pid"]) + ")\u27e7")
    pages = []
    for index, record in enumerate(records):
        values = {field: escape(str(record.get(field, ""))) for field in fields}
        values["rid"] = f"rIdBatch{index}"
        values["pid"] = str(10_000 + index)
        pages.append(pattern.sub(lambda m, v=values: v[m.group(1)], page))
    body = PAGE_BREAK.join(pages)

    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        sample_target = None
        rels = etree.fromstring(source.read("word/_rels/document.xml.rels"))
        for rel in list(rels):
            if rel.get("Id") == sample_rid:
                sample_target = rel.get("Target")
                rels.remove(rel)
        for index in range(len(records)):
            rel = etree.SubElement(rels, f"{{{RELS_NS}}}Relationship")
            rel.set("Id", f"rIdBatch{index}")
            rel.set("Type", IMAGE_REL)
            rel.set("Target", f"media/batch{index}.png")
        for item in source.infolist():
            name = item.filename
            if name == "word/document.xml":
                xml = source.read(name).decode("utf-8")
                mark = xml.index(BODY_MARK)
                start = (
                    xml.rindex("<w:p>", 0, mark) if "<w:p>" in xml[:mark] else xml.rindex("<w:p ", 0, mark)
                )
                end = xml.index("</w:p>", mark) + len("</w:p>")
                target.writestr(name, xml[:start] + body + xml[end:])
            elif name == "word/_rels/document.xml.rels":
                target.writestr(
                    name, etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
                )
            elif name == "[Content_Types].xml":
                types = source.read(name).decode("utf-8")
                if 'Extension="png"' not in types:
                    types = types.replace(
                        "<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1
                    )
                target.writestr(name, types)
            elif sample_target and name == f"word/{sample_target}":
                continue
            else:
                target.writestr(item, source.read(name))
        for index, image in enumerate(images):
            target.writestr(
                zipfile.ZipInfo(f"word/media/batch{index}.png"), image, compress_type=zipfile.ZIP_STORED
            )
    return out.getvalue()
