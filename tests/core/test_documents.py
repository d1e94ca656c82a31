"""Documents: the GB/T 9704 base template, layered template resolution, hook context, LibreOffice."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from docx.shared import Mm, Pt

from core import hookimpl
from core.documents.render import (
    chinese_date,
    docx_to_pdf,
    format_money,
    mask_id,
    render_document,
    resolve_template,
    undeclared_variables,
)
from core.errors import WuyeError
from core.plugins import create_plugin_manager
from core.settings import PROJECT_ROOT
from core.testing import require_tool

CONTEXT = {
    "issuer": "上海市示范区示范街道房屋管理事务所",
    "doc_number": "示房〔2026〕12号",
    "title": "关于开展住房状况核查的通知",
    "addressee": "各居民委员会",
    "paragraphs": ["甲 & 乙 <丙> 的核查事项如下。", "第二段。"],
    "date_cn": "二〇二六年十一月二十三日",
    "attachments": ["核查名单"],
}


class ContextPlugin:
    PLUGIN_NAME = "ctx"

    @hookimpl
    def document_context(self, district, document, context):
        return {"from_hook": "hook", "title": "被调用方覆盖的标题"}


class AsyncContextPlugin:
    PLUGIN_NAME = "actx"

    @hookimpl
    async def document_context(self, district, document, context):
        return {"from_async_hook": "async"}


def text_of(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for p in document.sections[0].footer.paragraphs]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 23), "二〇二六年十一月二十三日"),
        (date(2026, 1, 1), "二〇二六年一月一日"),
        (date(2026, 10, 10), "二〇二六年十月十日"),
        (date(2027, 12, 31), "二〇二七年十二月三十一日"),
        (date(2030, 2, 20), "二〇三〇年二月二十日"),
    ],
)
def test_chinese_dates(day, text):
    assert chinese_date(day) == text
    assert chinese_date(day.isoformat()) == text


def test_filters():
    assert format_money(123456) == "1,234.56"
    assert mask_id("310101199001011234") == "**************1234"


async def test_official_document_layout_and_escaping():
    pm = create_plugin_manager(entrypoints=False, extra=[ContextPlugin(), AsyncContextPlugin()])
    data = await render_document("core/official.docx", dict(CONTEXT), pm=pm)
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    for actual, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(actual - Mm(mm)) < Mm(0.5)
    text = text_of(data)
    assert "甲 & 乙 <丙> 的核查事项如下。" in text  # autoescaped in XML, intact for the reader
    assert "关于开展住房状况核查的通知" in text  # the caller's title beats the hook's
    assert "被调用方覆盖的标题" not in text
    assert "二〇二六年十一月二十三日" in text and "附件" in text and "（印章）" in text
    title = next(p for p in document.paragraphs if p.text == CONTEXT["title"])
    assert title.runs[0].font.size == Pt(22)
    body = next(p for p in document.paragraphs if p.text.startswith("甲"))
    assert body.runs[0].font.size == Pt(16)
    issuer = document.paragraphs[0]
    assert issuer.text == CONTEXT["issuer"] and issuer.runs[0].font.color.rgb is not None


async def test_hook_context_is_merged_under_the_callers():
    pm = create_plugin_manager(entrypoints=False, extra=[ContextPlugin(), AsyncContextPlugin()])
    from core.documents.render import document_context

    merged = await document_context(pm, "core/official.docx", {"title": "mine"})
    assert merged == {"from_hook": "hook", "from_async_hook": "async", "title": "mine"}


async def test_optional_blocks_disappear():
    pm = create_plugin_manager(entrypoints=False)
    context = {**CONTEXT, "doc_number": "", "addressee": "", "attachments": []}
    text = text_of(await render_document("core/official.docx", context, pm=pm))
    assert "示房" not in text and "附件" not in text and "各居民委员会" not in text


def make_docx(path: Path, marker: str) -> bytes:
    document = Document()
    document.add_paragraph(marker + " {{ title }}")
    buffer = io.BytesIO()
    document.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


async def test_resolution_order(tmp_path, monkeypatch):
    plugin_dir = tmp_path / "plugin"
    project = tmp_path / "project"
    jurisdiction_dir = tmp_path / "jurisdiction"
    make_docx(plugin_dir / "doc.docx", "PLUGIN")

    class Registers:
        PLUGIN_NAME = "demo_duty"

        @hookimpl
        def register_template_dirs(self):
            return {"demo_duty": plugin_dir}

    pm = create_plugin_manager(entrypoints=False, extra=[Registers()])
    district = SimpleNamespace(id=7, slug="alpha")
    jurisdiction = SimpleNamespace(template_dir=jurisdiction_dir)
    override = make_docx(tmp_path / "override.docx", "DISTRICT")

    async def no_override(district_id, name):
        return None

    async def has_override(district_id, name):
        assert (district_id, name) == (7, "demo_duty/doc.docx")
        return override

    async def resolve(loader):
        return await resolve_template(
            "demo_duty/doc.docx",
            pm=pm,
            district=district,
            jurisdiction=jurisdiction,
            override_loader=loader,
            project_dir=project,
        )

    assert (await resolve(no_override)).source == "plugin"
    make_docx(project / "demo_duty" / "doc.docx", "PROJECT")
    assert (await resolve(no_override)).source == "project"
    make_docx(jurisdiction_dir / "demo_duty" / "doc.docx", "JURISDICTION")
    assert (await resolve(no_override)).source == "jurisdiction"
    winner = await resolve(has_override)
    assert winner.source == "district"
    rendered = await render_document(
        "demo_duty/doc.docx",
        {"title": "T"},
        pm=pm,
        jurisdiction=jurisdiction,
        override_loader=has_override,
        district=None,
    )
    assert "JURISDICTION T" in text_of(rendered) or "PLUGIN T" in text_of(rendered)


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "../core/official.docx", "core/../../x.docx", "nofolder.docx"]
)
async def test_bad_template_names(name):
    with pytest.raises(WuyeError) as info:
        await resolve_template(name, pm=create_plugin_manager(entrypoints=False))
    assert info.value.code == "template_not_found"


async def test_missing_template_and_bad_template(tmp_path):
    pm = create_plugin_manager(entrypoints=False)
    with pytest.raises(WuyeError) as missing:
        await render_document("core/nothing.docx", {}, pm=pm)
    assert missing.value.code == "template_not_found" and missing.value.status_code == 404
    broken = make_docx(tmp_path / "broken.docx", "{% if %}")
    from core.documents.render import ResolvedTemplate, render_bytes

    with pytest.raises(WuyeError) as info:
        render_bytes(ResolvedTemplate("x/broken.docx", "district", content=broken), {})
    assert info.value.code == "template_error" and info.value.status_code == 422


async def test_rendering_runs_in_a_worker_thread(monkeypatch):
    import anyio.to_thread

    calls = []
    real = anyio.to_thread.run_sync

    async def spy(fn, *args, **kwargs):
        calls.append(fn.__name__)
        return await real(fn, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", spy)
    await render_document("core/official.docx", dict(CONTEXT), pm=create_plugin_manager(entrypoints=False))
    assert calls == ["render_bytes"]


def test_templates_declare_only_known_variables():
    assert undeclared_variables(PROJECT_ROOT / "core" / "templates" / "official.docx") <= set(CONTEXT)


async def test_libreoffice_converts_it_and_the_chinese_text_survives(tmp_path):
    require_tool("soffice", "libreoffice")
    pdftotext = require_tool("pdftotext")
    pdffonts = require_tool("pdffonts")
    data = await render_document(
        "core/official.docx", dict(CONTEXT), pm=create_plugin_manager(entrypoints=False)
    )
    pdf = docx_to_pdf(data, tmp_path)
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "关于开展住房状况核查的通知" in text
    assert "甲 & 乙 <丙> 的核查事项如下" in text.replace("\n", "")
    fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts or "Noto" in fonts or "WenQuanYi" in fonts, fonts


async def test_a_districts_uploaded_override_wins(db, tmp_path):
    import hashlib

    from core.data.tables import TemplateOverride
    from core.district_services import add_district

    alpha = await add_district(db, "test", "alpha", "甲街道")
    content = make_docx(tmp_path / "mine.docx", "甲街道自己的版式")
    await TemplateOverride.insert(
        TemplateOverride(
            district=alpha.id,
            name="core/official.docx",
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
        )
    )
    mine = await render_document("core/official.docx", {"title": "标题"}, pm=db.pm, district=alpha)
    assert "甲街道自己的版式 标题" in text_of(mine)
    beta = await add_district(db, "test", "beta", "乙街道")
    theirs = await render_document("core/official.docx", dict(CONTEXT), pm=db.pm, district=beta)
    assert "甲街道自己的版式" not in text_of(theirs)
