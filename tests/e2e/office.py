"""What the office does in the e2e tests' consoles: record a written authorisation (委托投票)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any


def png(width: int = 8, height: int = 8) -> bytes:
    """A small real PNG (the phone photo of the signed authorisation)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


async def record_proxy(
    desk: Any,
    console: str,
    tmp_path: Path,
    *,
    serial: str,
    proxy: str,
    motions: dict[int, str],
    unticked: tuple[int, ...] = (),
    before_submit: Any = None,
) -> Path:
    """On the meeting console page ``console``: record that the owner of ``serial`` authorised
    ``proxy``, leaving ``unticked`` motions out and writing ``motions`` (position → 同意/反对/弃权) as the
    owner's instructions; the proxy's sheet as downloaded."""
    await desk.goto(console)
    await desk.fill("#proxy-serial", serial)
    await desk.fill("#proxy-name", proxy)
    await desk.fill("#proxy-id", "310101198001011234")
    for position in unticked:
        await desk.uncheck(f"#proxy-m{position}")
    for position, answer in motions.items():
        await desk.select_option(f"#proxy-i{position}", answer)
    scan = tmp_path / "委托书.png"
    scan.write_bytes(png())
    await desk.set_input_files("#proxy-scan", str(scan))
    if before_submit is not None:
        await before_submit()
    await desk.check("#proxy-checked")
    async with desk.expect_download() as download_info:  # a clerk who clicks twice: one authorisation
        await desk.dblclick("#proxy-form button[type=submit]")
    sheet = tmp_path / f"proxy-sheet-{serial}.docx"
    await (await download_info.value).save_as(sheet)
    return sheet


async def preliminary_with_objection(desk: Any, console: str, *, objection: str, answer: str) -> None:
    """Publish the preliminary result notice (it opens the objection period), record an owner's
    objection in the console and answer it; the final announcement waits for the period's end."""
    from core.testing import office_today

    await desk.goto(console)
    async with desk.expect_download() as download:
        await desk.click("#preliminary")
    assert (await download.value).suggested_filename.startswith("表决初步统计结果公示")
    await desk.goto(console)
    await desk.wait_for_selector("#objection-form")
    assert await desk.is_visible("#announce-wait")
    await desk.fill("#objection-received", office_today().isoformat())
    await desk.fill("#objection-by", "王五")
    await desk.fill("#objection-unit", "2-101")
    await desk.fill("#objection-content", objection)
    await desk.click("#objection-form button[type=submit]")
    await desk.wait_for_selector(".answer-form[data-number='1']")
    assert objection in await desk.inner_text("#objections")
    await desk.fill("#answer-1", answer)
    await desk.click(".answer-form[data-number='1'] button[type=submit]")
    await desk.wait_for_selector(".answer-form", state="detached")
    assert answer in await desk.inner_text("#objections")
    assert await desk.is_visible("#announce-wait")  # the period is still running
