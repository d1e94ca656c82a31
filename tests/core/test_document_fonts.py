"""Every kind of document the platform issues, printed as LibreOffice prints it: Simplified Chinese
serif fonts only, a non-blank first page, the seal-and-date block never alone on a page, no table
header alone at a page's foot, titles broken between words, and no technical text (hashes, keys,
file names, actor labels) in the body. One LibreOffice run converts them all.

The demo district (``wuye demo``, built in-process) provides the data: a published meeting with
printed sheets, a sealed one with its result notice, two group-rental cases (one served, re-inspected
here and escalated: the package holds the cover letter, the order, the proof of service and the
inspection records) and housing-check entrustments (the first one checked and reported here)."""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from core.documents.layout import ANNEX_HEADING, TITLE_FONT
from core.documents.render import docx_to_pdfs, render_document
from core.documents.typeset import text_width, title_lines
from core.testing import require_tool

#: The Simplified Chinese serif, as the PDF names it (core/documents/fonts.py: the SC face of the
#: collection as a font of its own, so the name is ``NotoSerifCJKsc-…``, never ``…jp``).
SERIF = re.compile(r"^(?:[A-Z]{6}\+)?NotoSerifCJKsc-")
TECHNICAL = re.compile(r"[0-9a-f]{32,}|manifest\.json|\.docx|cli:|staff:")
CN_DATE = re.compile(r"^[〇一二三四五六七八九]{4}年[一二三四五六七八九十]+月[一二三四五六七八九十]+日$")
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")
#: The issued documents and their 发文字号 (core.documents.numbers), as pdftotext prints them.
NUMBERED = {
    "result_notice": re.compile(r"^示范花园二期业字〔\d{4}〕\d+号$"),
    "housing_check_report": re.compile(r"^示范街房字〔\d{4}〕\d+号$"),
    "escalation_cover": re.compile(r"^示范街房字〔\d{4}〕\d+号$"),
    "order": re.compile(r"^示范街房字〔\d{4}〕\d+号$"),
}

OFFICIAL = {
    "issuer": "上海市示范区示范街道房屋管理事务所",
    "doc_number": "示范街房字〔2026〕12号",
    "title": "关于开展示范花园2026年度住房状况核查工作的通知",
    "addressee": "各居民委员会",
    "paragraphs": ["根据有关规定，现就核查事项通知如下。", "请各居民委员会予以配合。"],
    "date_cn": "二〇二六年十一月二十三日",
    "attachments": ["核查名单"],
}


async def _housing_report(db: Any, district: Any) -> bytes:
    from core import Actor, Grant
    from plugins.housing_check.demo import CHECKER, DWELLINGS, STEPS
    from plugins.housing_check.services import dwellings, entrustments, households
    from plugins.housing_check.services.access import SUPERVISOR_SCOPE
    from plugins.housing_check.services.reports import issue_report
    from plugins.housing_check.tables import HousingCheckEntrustment, HousingCheckReport

    profile = db.jurisdictions.get(district.jurisdiction_code)
    grant = Grant("district_officer", district.id, None, SUPERVISOR_SCOPE)
    actor = Actor(0, "cli:demo", "演示数据", (grant,), "cli")
    row = (
        await HousingCheckEntrustment.select()
        .where(HousingCheckEntrustment.district == district.id)
        .order_by(HousingCheckEntrustment.received_on)
        .first()
    )
    detail = await entrustments.entrustment_detail(district, profile, actor, row["public_id"])
    for listed in detail["household_list"][1:]:  # the demo checked the first household only
        step: dict[str, Any] = {}
        for kind, days, result, finding, _ in STEPS:
            step = await households.record_step(
                district, profile, actor, row["public_id"], listed["household"], kind=kind,
                step_date=(row["received_on"] + timedelta(days=days)).isoformat(), result=result,
                finding=finding, officer=CHECKER[0], attachments=[],
            )  # fmt: skip
        kind, address, area, source, holder = DWELLINGS[0]
        await dwellings.add_dwelling(
            district, actor, row["public_id"], listed["household"], kind=kind, address=address + "甲",
            area=area, area_type="building", source=source, holder=holder, step=step["step"],
        )  # fmt: skip
    await issue_report(db.pm, district, profile, actor, row["public_id"])
    report = await HousingCheckReport.select().where(HousingCheckReport.entrustment == row["id"]).first()
    return bytes(report["content"])


async def _group_rental(db: Any, district: Any) -> dict[str, bytes]:
    from core import today_in
    from plugins.group_rental.demo import DEMO_FLAT
    from plugins.group_rental.services.escalation import escalate
    from plugins.group_rental.services.inspections import record_inspection
    from plugins.group_rental.tables import GroupRentalCase, GroupRentalOrder

    profile = db.jurisdictions.get(district.jurisdiction_code)
    served = (
        await GroupRentalCase.select()
        .where(GroupRentalCase.id.is_in(GroupRentalOrder.select(GroupRentalOrder.case)))
        .first()
    )
    await record_inspection(
        db,
        district,
        served["public_id"],
        {
            "inspected_on": today_in(profile).isoformat(),
            "inspectors": ["王检查", "李核查"],
            "police_present": True,
            "committee_present": False,
            "property_present": True,
            "flat": DEMO_FLAT,
        },
        "cli:demo",
    )
    package, _ = await escalate(db, district, served["public_id"], {}, "cli:demo")
    archive = zipfile.ZipFile(io.BytesIO(package))
    names = {"00-": "escalation_cover", "01-": "order", "02-": "service", "03-": "inspection"}
    found: dict[str, bytes] = {}
    for name in archive.namelist():
        for prefix, kind in names.items():
            if name.startswith(prefix) and name.endswith(".docx"):
                found[f"{kind}{len([k for k in found if k.startswith(kind)]) or ''}"] = archive.read(name)
    return found


@pytest.fixture
async def documents(db: Any) -> dict[str, bytes]:
    """Every document kind, rendered by the services that issue it."""
    from core.cli.demo import DEMO_DISTRICT, build_demo
    from core.districts import get_district
    from plugins.voting.services.delivery import delivery_list_document, notice_document
    from plugins.voting.tables import VotingMeeting

    await build_demo(db)
    district = await get_district(DEMO_DISTRICT)
    folder = db.settings.var_dir / "demo"
    sealed = await VotingMeeting.select().where(VotingMeeting.status == "sealed").first()
    docs = {
        "official": await render_document("core/official.docx", dict(OFFICIAL), pm=db.pm),
        # 14 and 15 paragraphs fill page 1 so that, unkept, the seal and date alone would go to page 2
        **{
            f"official_{n}": await render_document(
                "core/official.docx",
                {**OFFICIAL, "attachments": [], "paragraphs": [f"第{i}段，核查事项如下。" for i in range(n)]},
                pm=db.pm,
            )
            for n in (14, 15)
        },
        "ballot_sheets": (folder / "ballots.docx").read_bytes(),
        "meeting_notice": await notice_document(db, district, sealed["public_id"]),
        "delivery_list": await delivery_list_document(db, district, sealed["public_id"]),
        "result_notice": (folder / "result.docx").read_bytes(),
        "housing_check_report": await _housing_report(db, district),
    }
    docs.update(await _group_rental(db, district))
    return docs


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _png_has_ink(png: bytes) -> bool:
    """Whether a PNG (8-bit, as pdftoppm writes it) has any pixel darker than near-white."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    offset, data, width, channels = 8, b"", 0, 3
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        chunk = png[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, color = struct.unpack(">I", chunk[:4])[0], chunk[9]
            channels = {0: 1, 2: 3, 6: 4}.get(color, 3)
        elif kind == b"IDAT":
            data += chunk
        offset += 12 + length
    raw = zlib.decompress(data)
    stride = width * channels + 1
    # filtered rows: a non-zero byte in a row's deltas means the row is not uniform; a uniform white
    # page is all 0xff in row 0 and zeros (or 0xff) after filtering, so look for any mid-grey value
    rows = [raw[i + 1 : i + stride] for i in range(0, len(raw), stride)]
    return any(any(16 < b < 200 for b in row) for row in rows)


def _pages(pdftotext: str, pdf: Path, count: int) -> list[list[str]]:
    pages = []
    for number in range(1, count + 1):
        text = _run(pdftotext, "-f", str(number), "-l", str(number), str(pdf), "-")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        pages.append([line for line in lines if not PAGE_NUMBER.match(line)])
    return pages


def _header_rows(docx: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(docx))
    return [[c.text.strip() for c in table.rows[0].cells] for table in document.tables if table.rows]


def _titles(docx: bytes) -> list[list[str]]:
    """The multi-line titles (paragraphs in the title font holding line breaks), as lines."""
    document = Document(io.BytesIO(docx))
    found = []
    for para in document.paragraphs:
        fonts = {
            r.element.rPr.rFonts.get(qn("w:eastAsia"))
            for r in para.runs
            if r.element.rPr is not None and r.element.rPr.rFonts is not None
        }
        if TITLE_FONT in fonts and "\n" in para.text:
            found.append([line.strip() for line in para.text.split("\n")])
    return found


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # the documents do not depend on the backend
async def test_every_document_prints_in_chinese_serif_and_reads_as_official(db, documents, tmp_path):
    require_tool("soffice", "libreoffice")
    tools = ("pdffonts", "pdftotext", "pdftoppm", "pdfinfo")
    pdffonts, pdftotext, pdftoppm, pdfinfo = (require_tool(t) for t in tools)
    sources = []
    for kind, content in documents.items():
        path = tmp_path / "docx" / f"{kind}.docx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        sources.append(path)
    assert {"escalation_cover", "order", "service", "inspection", "result_notice"} <= set(documents)
    pdfs = docx_to_pdfs(sources, tmp_path / "pdf")
    keep = os.environ.get("WUYE_KEEP_DOCUMENTS")  # a folder to look at the PDFs and PNGs in
    problems: list[str] = []
    for (kind, content), pdf in zip(documents.items(), pdfs, strict=True):
        fonts = _run(pdffonts, str(pdf)).splitlines()[2:]
        names = [line.split()[0] for line in fonts if line.strip()]
        assert names, f"{kind}: no fonts"
        for name in names:
            if not SERIF.match(name):
                problems.append(f"{kind}: font {name} is not the Simplified Chinese Noto Serif")
        prefix = tmp_path / "png" / kind
        prefix.parent.mkdir(exist_ok=True)
        _run(pdftoppm, "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix))
        png = next(prefix.parent.glob(f"{kind}*.png")).read_bytes()
        if not _png_has_ink(png):
            problems.append(f"{kind}: page 1 is blank")
        count = int(re.search(r"Pages:\s+(\d+)", _run(pdfinfo, str(pdf)))[1])
        pages = _pages(pdftotext, pdf, min(count, 12) if kind == "ballot_sheets" else count)
        body = []
        for number, lines in enumerate(pages, start=1):
            if ANNEX_HEADING in lines:  # the verifier's annex after the signature: full values
                lines = lines[: lines.index(ANNEX_HEADING)]
            body.extend(lines)
            if "（印章）" in lines:
                at = lines.index("（印章）")
                others = [
                    line
                    for i, line in enumerate(lines)
                    if i not in (at, at + 1) and not CN_DATE.match(line) and line != "附件"
                ]
                if not others:
                    problems.append(f"{kind}: page {number} holds only the seal and date")
            for header in _header_rows(content):
                if number < len(pages) and lines[-len(header) :] == header:
                    problems.append(f"{kind}: page {number} ends with the table header {header}")
        for line in body:
            if TECHNICAL.search(line):
                problems.append(f"{kind}: technical text in the body: {line}")
        first = ["".join(line.split()) for line in (pages[0] if pages else [])]  # pdftotext spaces 2026
        if kind in NUMBERED and not any(NUMBERED[kind].match(line) for line in first[:4]):
            problems.append(f"{kind}: no 发文字号 under the letterhead: {first[:4]}")
        for title in _titles(content):
            for part in title:
                if "".join(part.split()) not in first:
                    problems.append(f"{kind}: title line {part!r} not a line of page 1: {first[:8]}")
        if keep:
            target = Path(keep)
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(pdf, target / pdf.name)
            _run(pdftoppm, "-r", "60", "-png", str(pdf), str(target / kind))
    assert not problems, "\n".join(problems)


def test_titles_break_between_words():
    assert title_lines("住房状况核查结果报告") == "住房状况核查结果报告"
    assert title_lines("示范花园2027年第一次业主大会会议表决结果公告") == (
        "示范花园2027年第一次\n业主大会会议表决结果公告"
    )
    assert title_lines("关于召开示范花园2027年第一次业主大会会议的公告").split("\n") == [
        "关于召开示范花园2027年",
        "第一次业主大会会议的公告",
    ]
    assert title_lines("关于开展示范花园2026年度住房状况核查工作的通知").split("\n") == [
        "关于开展示范花园2026年度",
        "住房状况核查工作的通知",
    ]
    long_ones = (
        "示范花园二期2026年度第二次业主大会临时会议表决结果公告",
        "关于" + "群租房屋" * 12 + "的通知",
    )
    for title in long_ones:
        lines = title_lines(title).split("\n")
        assert "".join(lines) == title and len(lines) > 1
        assert all(text_width(line) <= 20 for line in lines), lines


async def test_the_chinese_language_tag_picks_the_simplified_forms(tmp_path):
    """Noto CJK holds the Japanese and the Chinese forms of characters such as 令 and 直 in one
    collection; LibreOffice picks by the run's language. The layout tags every run zh-CN, so 令 prints
    in its Chinese form — different from the same text tagged ja-JP."""
    from core.documents.layout import BODY_FONT, new_document, paragraph

    pdftoppm = require_tool("pdftoppm")
    require_tool("soffice", "libreoffice")
    sources = []
    for lang in ("zh-CN", "ja-JP"):
        document = new_document()
        para = paragraph(document, "令直骨角", font=BODY_FONT, size=40)
        para.runs[0]._element.rPr.find(qn("w:lang")).set(qn("w:eastAsia"), lang)
        path = tmp_path / f"{lang}.docx"
        document.save(str(path))
        sources.append(path)
    zh, ja = docx_to_pdfs(sources, tmp_path / "pdf")
    images = []
    for pdf in (zh, ja):
        _run(pdftoppm, "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(pdf.with_suffix("")))
        images.append(next(tmp_path.joinpath("pdf").glob(f"{pdf.stem}*.png")).read_bytes())
    assert images[0] != images[1], "the language tag does not change the glyph forms"
    styles = Document(str(sources[0])).styles.element
    lang = styles.find(f".//{qn('w:style')}[@{qn('w:styleId')}='Normal']//{qn('w:lang')}")
    assert lang is not None and lang.get(qn("w:eastAsia")) == "zh-CN"


def test_the_aliases_resolve_to_the_simplified_chinese_faces_of_their_own(tmp_path):
    """仿宋, 宋体, 方正小标宋简体 and 黑体 resolve, through the conversion's fontconfig wrapper, to the SC
    faces taken out of the Noto CJK collections (PostScript names …CJKsc, never …CJKjp)."""
    from core.documents.fonts import fontconfig_env, regional_fonts

    fc_match = require_tool("fc-match")
    folder = regional_fonts()
    assert folder is not None and sorted(p.name for p in folder.glob("*.otf")) == [
        "NotoSansSC-Bold.otf",
        "NotoSansSC-Regular.otf",
        "NotoSerifSC-Bold.otf",
        "NotoSerifSC-Regular.otf",
        "NotoSerifSC-SemiBold.otf",
    ]
    env = {**os.environ, **fontconfig_env(tmp_path)}
    found = {}
    for family in ("仿宋", "宋体", "方正小标宋简体", "黑体"):
        answer = subprocess.run(
            [fc_match, "-f", "%{family[0]}|%{postscriptname}", family],
            env=env,
            capture_output=True,
            text=True,
        )
        found[family] = answer.stdout
    assert found == {
        "仿宋": "Noto Serif SC|NotoSerifCJKsc-Regular",
        "宋体": "Noto Serif SC|NotoSerifCJKsc-Regular",
        "方正小标宋简体": "Noto Serif SC|NotoSerifCJKsc-SemiBold",
        "黑体": "Noto Sans SC|NotoSansCJKsc-Regular",
    }
