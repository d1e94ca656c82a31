"""Official documents: docxtpl templates, resolved in layers and rendered off the event loop.

A template is named ``"<namespace>/<file>.docx"`` (the namespace is the plugin's name). The first of
these that has it wins:

1. the district's own override (uploaded by its office, table ``core_template_override``);
2. the district's jurisdiction profile's ``template_dir``;
3. the installation's ``templates/`` folder (local overrides; empty in a checkout);
4. the folder the plugin registered with ``register_template_dirs``.

The context is the merge of every ``document_context`` hook result (plugins enabled for the district;
later results override earlier keys) with the caller's own context on top. Rendering autoescapes
(``&`` or ``<`` in user text would otherwise corrupt the XML) and runs in a worker thread.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

import anyio.to_thread
import pluggy
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import RGBColor
from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateError

from core.documents.fonts import fontconfig_env
from core.documents.typeset import fit_half_points, title_lines
from core.errors import NotFound, WuyeError
from core.messages import message
from core.settings import PROJECT_ROOT

OverrideLoader = Callable[[int, str], Awaitable[bytes | None]]
_DIGITS = "〇一二三四五六七八九"


def chinese_number(value: int) -> str:
    """1..31 in Chinese numerals: 十, 十一, 二十, 二十三, 三十一."""
    if value < 10:
        return _DIGITS[value]
    tens, units = divmod(value, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if units == 0 else _DIGITS[units])


def chinese_date(value: date | datetime | str) -> str:
    """``2026-11-23`` → ``二〇二六年十一月二十三日`` (dates in official documents)."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    year = "".join(_DIGITS[int(d)] for d in f"{value.year:04d}")
    return f"{year}年{chinese_number(value.month)}月{chinese_number(value.day)}日"


def format_area(centi: int) -> str:
    sign = "-" if centi < 0 else ""
    centi = abs(int(centi))
    return f"{sign}{centi // 100}.{centi % 100:02d}"


def format_money(value: int | Decimal) -> str:
    """Fen (int) or yuan (Decimal) → ``1,234.56``."""
    if isinstance(value, int):
        value = Decimal(value) / 100
    return f"{value.quantize(Decimal('0.01')):,}"


def mask_id(value: str) -> str:
    """Keep the last four characters of an ID number."""
    value = value or ""
    return "*" * max(len(value) - 4, 0) + value[-4:]


def jinja_env() -> Environment:
    """The one Jinja environment for documents, with the filters templates may use."""
    env = Environment(autoescape=True)
    env.filters.update(
        cn_date=chinese_date,
        area=format_area,
        money=format_money,
        mask_id=mask_id,
        title_lines=title_lines,
        fit_half_points=fit_half_points,
    )
    return env


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _keep_next(element: Any) -> None:
    ppr = element.find(f"{_W}pPr")
    if ppr is None:
        ppr = element.makeelement(f"{_W}pPr", {})
        element.insert(0, ppr)
    if ppr.find(f"{_W}keepNext") is None:
        keep = ppr.makeelement(f"{_W}keepNext", {})
        style = ppr.find(f"{_W}pStyle")
        ppr.insert(1 if style is not None else 0, keep)  # keepNext follows pStyle in CT_PPr


def keep_signature_with_body(body: Any, style_id: str = "WuyeSignature") -> None:
    """Keep the signature block with the last body line before it: every paragraph from that line to
    the block's first paragraph (marked with the signature style) keeps with the next one, so the
    seal and date never stand alone on the last page. A table before the block keeps its last row."""
    for para in body.iter(f"{_W}p"):
        style = para.find(f"{_W}pPr/{_W}pStyle")
        if style is None or style.get(f"{_W}val") != style_id:
            continue
        sibling = para.getprevious()
        while sibling is not None:
            if sibling.tag == f"{_W}tbl":
                rows = sibling.findall(f"{_W}tr")
                for cell_para in rows[-1].iter(f"{_W}p") if rows else ():
                    _keep_next(cell_para)
                break
            if sibling.tag == f"{_W}p":
                _keep_next(sibling)
                has_text = any((t.text or "").strip() for t in sibling.iter(f"{_W}t"))
                if has_text or next(sibling.iter(f"{_W}drawing"), None) is not None:
                    break
            sibling = sibling.getprevious()


@dataclass(frozen=True)
class ResolvedTemplate:
    name: str
    source: str  #: district | jurisdiction | project | plugin
    content: bytes | None = None
    path: Path | None = None
    mark: str = ""  #: a training district's document (演练): the words on top of every page

    def open(self) -> DocxTemplate:
        document = DocxTemplate(io.BytesIO(self.content) if self.content is not None else str(self.path))
        if self.mark:
            mark_rehearsal(document, self.mark)
        return document


REHEARSAL_RED = RGBColor(0xB3, 0x26, 0x1E)


def mark_rehearsal(document: DocxTemplate, words: str) -> None:
    """A training district's document says so on every page, before anything is rendered: a red line
    in the page header of each section and on top of the body (a batch repeats it on every sheet)."""
    document.init_docx()
    docx = document.docx
    assert docx is not None
    places = [section.header for section in docx.sections if not section.header.is_linked_to_previous]
    if not places:
        places = [docx.sections[0].header]
    first = docx.paragraphs[0] if docx.paragraphs else docx.add_paragraph()
    for paragraph in [
        first.insert_paragraph_before(),
        *(h.paragraphs[0].insert_paragraph_before() if h.paragraphs else h.add_paragraph() for h in places),
    ]:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(words)
        run.bold = True
        run.font.color.rgb = REHEARSAL_RED


def check_name(name: str) -> tuple[str, str]:
    """``"voting/notice.docx"`` → (namespace, relative file); refuses absolute paths and ``..``."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2 or "\\" in name:
        raise NotFound("template_not_found", name=name)
    return path.parts[0], str(PurePosixPath(*path.parts[1:]))


async def database_override(district_id: int, name: str) -> bytes | None:
    from core.data.tables import TemplateOverride

    row = (
        await TemplateOverride.select(TemplateOverride.content)
        .where((TemplateOverride.district == district_id) & (TemplateOverride.name == name))
        .first()
    )
    return bytes(row["content"]) if row else None


async def resolve_template(
    name: str,
    *,
    pm: pluggy.PluginManager,
    district: Any = None,
    jurisdiction: Any = None,
    override_loader: OverrideLoader | None = None,
    project_dir: Path | None = None,
) -> ResolvedTemplate:
    """The template ``name`` for ``district`` (see :func:`_find_template`), marked 演练 on every page
    when the district is a training district (core.clock)."""
    found = await _find_template(
        name,
        pm=pm,
        district=district,
        jurisdiction=jurisdiction,
        override_loader=override_loader,
        project_dir=project_dir,
    )
    if getattr(district, "training", False):
        return replace(found, mark=message("clock_document_mark"))
    return found


async def _find_template(
    name: str,
    *,
    pm: pluggy.PluginManager,
    district: Any,
    jurisdiction: Any,
    override_loader: OverrideLoader | None,
    project_dir: Path | None,
) -> ResolvedTemplate:
    namespace, relative = check_name(name)
    if district is not None:
        loader = override_loader or database_override
        content = await loader(district.id, name)
        if content:
            return ResolvedTemplate(name, "district", content=content)
    if jurisdiction is not None and jurisdiction.template_dir is not None:
        candidate = Path(jurisdiction.template_dir) / name
        if candidate.is_file():
            return ResolvedTemplate(name, "jurisdiction", path=candidate)
    candidate = (project_dir or PROJECT_ROOT / "templates") / name
    if candidate.is_file():
        return ResolvedTemplate(name, "project", path=candidate)
    for dirs in pm.hook.register_template_dirs():
        folder = (dirs or {}).get(namespace)
        if folder is not None and (Path(folder) / relative).is_file():
            return ResolvedTemplate(name, "plugin", path=Path(folder) / relative)
    raise NotFound("template_not_found", name=name)


async def document_context(
    pm: pluggy.PluginManager, name: str, context: dict[str, Any], district: Any = None
) -> dict[str, Any]:
    """Merge the ``document_context`` hook results under the caller's context."""
    from core.plugins import await_me_maybe, hooks_for

    hook = (
        (await hooks_for(pm, district)).document_context if district is not None else pm.hook.document_context
    )
    merged: dict[str, Any] = {}
    for result in reversed(hook(district=district, document=name, context=context)):  # registration order
        merged.update(await await_me_maybe(result) or {})
    merged.update(context)
    return merged


@dataclass(frozen=True)
class DocxImage:
    """A picture for a template's ``{{ name }}`` (a PNG, e.g. a QR code), placed at ``width_mm``."""

    png: bytes
    width_mm: float


def _with_images(document: DocxTemplate, context: dict[str, Any]) -> dict[str, Any]:
    from docx.shared import Mm
    from docxtpl import InlineImage

    return {
        key: InlineImage(document, io.BytesIO(value.png), width=Mm(value.width_mm))
        if isinstance(value, DocxImage)
        else value
        for key, value in context.items()
    }


def render_bytes(template: ResolvedTemplate, context: dict[str, Any]) -> bytes:
    """Render synchronously (call through :func:`render_document`, which uses a worker thread).
    Top-level :class:`DocxImage` values become inline pictures."""
    try:
        document = template.open()
        document.render(_with_images(document, context), jinja_env=jinja_env(), autoescape=True)
    except TemplateError as exc:
        raise WuyeError("template_error", status_code=422, detail=f"{template.name}: {exc}") from None
    keep_signature_with_body(document.docx.element.body)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def render_document(
    name: str,
    context: dict[str, Any],
    *,
    pm: pluggy.PluginManager,
    district: Any = None,
    jurisdiction: Any = None,
    override_loader: OverrideLoader | None = None,
) -> bytes:
    """Resolve ``name``, merge the hook context, render in a worker thread; the .docx bytes."""
    template = await resolve_template(
        name, pm=pm, district=district, jurisdiction=jurisdiction, override_loader=override_loader
    )
    full = await document_context(pm, name, context, district)
    return await anyio.to_thread.run_sync(render_bytes, template, full)


def undeclared_variables(template: Path | bytes) -> set[str]:
    source = io.BytesIO(template) if isinstance(template, bytes) else str(template)
    return set(DocxTemplate(source).get_undeclared_template_variables(jinja_env()))


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def docx_to_pdf(docx: bytes | Path, outdir: Path, timeout: int = 180) -> Path:
    """Convert with LibreOffice (headless, a private profile so parallel runs do not clash)."""
    outdir.mkdir(parents=True, exist_ok=True)
    if isinstance(docx, bytes):
        source = outdir / "document.docx"
        source.write_bytes(docx)
    else:
        source = docx
    return docx_to_pdfs([source], outdir, timeout)[0]


def docx_to_pdfs(sources: list[Path], outdir: Path, timeout: int = 300) -> list[Path]:
    """Convert several files in ONE LibreOffice run (start-up is most of the time); the PDFs in the
    order of ``sources``. The fonts are those of ``core.documents.fonts`` (``FONTCONFIG_FILE``)."""
    soffice = find_soffice()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wuye-lo-") as profile:
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *(str(source) for source in sources),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "HOME": profile, **fontconfig_env(Path(profile))},
        )
    pdfs = [outdir / (source.stem + ".pdf") for source in sources]
    if result.returncode != 0 or not all(pdf.exists() for pdf in pdfs):
        raise RuntimeError(f"LibreOffice failed ({result.returncode}): {result.stderr or result.stdout}")
    return pdfs
