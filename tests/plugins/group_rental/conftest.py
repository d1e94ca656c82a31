"""Shared group_rental fixtures: room and flat builders, a Shanghai district with the duty switched on."""

from __future__ import annotations

import io

import pytest
from docx import Document
from PIL import Image

from core.district_services import add_district, switch_plugin


def room(
    name: str = "主卧", use: str = "living", area: str = "20.00", occupants: int = 1, **flags: object
) -> dict:
    data: dict = {
        "name": name,
        "designed_use": use,
        "usable_area_m2": area,
        "let": True,
        "occupants": occupants,
    }
    data.update(flags)
    return data


def flat(*rooms: dict, dormitory: bool = False, agency: bool = False) -> dict:
    return {"collective_dormitory": dormitory, "agency_managed": agency, "rooms": list(rooms) or [room()]}


def inspection(flat_data: dict, day: str = "2026-11-20") -> dict:
    return {
        "inspected_on": day,
        "inspectors": ["王检查", "李核查"],
        "police_present": True,
        "committee_present": True,
        "property_present": False,
        "flat": flat_data,
    }


# A tiny valid JPEG header is enough for the type check; the content itself is kept byte for byte.
JPEG = b"\xff\xd8\xff\xe0" + b"photo-of-the-door" + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"photo-of-the-room"


def image(kind: str = "JPEG", color: str = "gray") -> bytes:
    """A real photograph-sized-enough image (JPEG or PNG) of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), color).save(buffer, kind)
    return buffer.getvalue()


def text_of(docx: bytes) -> str:
    """Every paragraph and table cell of a .docx, opened with python-docx."""
    document = Document(io.BytesIO(docx))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
async def district(db):
    info = await add_district(db, "test", "alpha", "甲街道", "徐汇区", "shanghai-2020")
    await switch_plugin(db, "test", info, "group_rental", True)
    return info
