"""What an owner does in the e2e tests: find the demo's meeting, scan the first printed sheet, fill
in the ballot page."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import subprocess
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from core.documents.render import docx_to_pdf
from core.testing import require_tool, wuye_command
from tests.e2e.conftest import server_env

#: The phone the owners' tests hold: a small one.
PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}

#: Chromium without WebCrypto Ed25519, as WeChat's in-app browser and older webviews are.
NO_WEBCRYPTO_ED25519 = """
(() => {
  const subtle = SubtleCrypto.prototype;
  for (const name of ["importKey", "generateKey", "sign", "verify"]) {
    const original = subtle[name];
    subtle[name] = function (...args) {
      const algorithm = name === "importKey" ? args[2] : args[0];
      const label = typeof algorithm === "string" ? algorithm : algorithm && algorithm.name;
      if (label && /ed25519/i.test(label)) {
        return Promise.reject(new DOMException("Algorithm: Unrecognized name", "NotSupportedError"));
      }
      return original.apply(this, args);
    };
  }
})();
"""


def demo_meeting(tmp_path: Path, wuye_plugins: list[str]) -> str:
    """The demo's published meeting (the live server's), now opened for voting."""
    demo = (tmp_path / "demo.txt").read_text(encoding="utf-8")
    meeting = re.search(r"表决会议 (\S+)（已发布", demo).group(1)  # type: ignore[union-attr]
    wuye_command("voting", "meeting", "open", meeting, env=server_env(tmp_path, wuye_plugins))
    return meeting


def shift_calendar(db: str, meeting: str, **changes: str) -> None:
    """The calendar moves on (the meeting day arrives, the vote closes) without waiting weeks. A
    moved deadline takes the heads signed before with it: they describe the meeting as it was
    (docs/protocol.md §12), which no real meeting can change once published."""
    with sqlite3.connect(db) as conn:
        for column, value in changes.items():
            conn.execute(f"UPDATE voting_meeting SET {column} = ? WHERE public_id = ?", (value, meeting))
        if "voting_closes" in changes:
            conn.execute(
                "DELETE FROM voting_head WHERE meeting = (SELECT id FROM voting_meeting WHERE public_id = ?)",
                (meeting,),
            )


def sheet_serial(db: str, meeting: str, voter_no: int) -> str:
    """The serial printed on a voter's sheet (the live server's database)."""
    with sqlite3.connect(db) as conn:
        return str(
            conn.execute(
                "SELECT v.serial FROM voting_voter v JOIN voting_meeting m ON m.id = v.meeting "
                "WHERE m.public_id = ? AND v.voter_no = ?",
                (meeting, voter_no),
            ).fetchone()[0]
        )


def close_voting(tmp_path: Path, wuye_plugins: list[str], meeting: str, *, seal: bool = True) -> None:
    """The deadline passes (the live server's database), and the officer seals the record."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")
    shift_calendar(f"{tmp_path}/e2e.sqlite3", meeting, voting_closes=now)
    if seal:
        wuye_command("voting", "seal", "-m", meeting, env=server_env(tmp_path, wuye_plugins))


def sheet_codes(tmp_path: Path) -> list[str]:
    """The typed voting codes of the demo's printed sheets, in print order."""
    from docx import Document

    sheets = Document(BytesIO((tmp_path / "demo" / "ballots.docx").read_bytes()))
    code = re.compile(r"\s*([A-Z2-7]{4}-){12}[A-Z2-7]{4}\s*")
    return [p.text.strip() for p in sheets.paragraphs if code.fullmatch(p.text)]


def sheet_url(base: str, meeting: str, code: str) -> str:
    """The link a sheet's QR code holds (``#k=`` the seed, base64url), from the code typed beside it:
    as ``first_sheet_url`` finds by scanning, without rendering the sheets."""
    letters = code.replace("-", "")
    seed = base64.b32decode(letters + "=" * (-len(letters) % 8))[:32]
    return f"{base}/v/{meeting}#k={base64.urlsafe_b64encode(seed).decode().rstrip('=')}"


def first_sheet_url(tmp_path: Path) -> str:
    """Decode the QR code of the first printed sheet (docx -> LibreOffice PDF -> PNG -> zbarimg)."""
    require_tool("soffice", "libreoffice")
    pdftoppm = require_tool("pdftoppm")
    zbarimg = require_tool("zbarimg")
    pdf = docx_to_pdf(tmp_path / "demo" / "ballots.docx", tmp_path / "pdf")
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "sheet")], check=True
    )
    image = next(tmp_path.glob("sheet*.png"))
    return subprocess.run(
        [zbarimg, "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()


async def agree_to_everything(page: Any) -> dict[str, Any]:
    """On the ballot step: agree to every motion, elect the first candidates; returns the page's
    meeting info."""
    info = json.loads(await page.inner_text("#meeting-info"))
    for motion in info["motions"]:
        box = page.locator(f"fieldset[data-position='{motion['position']}']")
        if motion.get("scope") and not await box.count():
            continue  # a motion of a building the owner has no unit in: not on their ballot
        if motion["kind"] == "election":
            for candidate in motion["candidates"][: motion["seats"]]:
                await box.locator(f"input[value='{candidate['id']}']").check()
        else:
            await box.locator("input[value='agree']").check()
    return info
