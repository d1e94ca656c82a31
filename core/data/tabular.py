"""Reading an uploaded list (CSV in UTF-8, with or without BOM, or the first sheet of an XLSX) as rows
of cell strings. Plugins validate the rows themselves and name their own error codes."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from core.errors import BadRequest


def read_rows(content: bytes, filename: str, *, unreadable: str, unsupported: str) -> Iterator[list[str]]:
    """Rows of cells as strings. Raises ``BadRequest(unreadable, detail=…)`` for a damaged file or one
    not in UTF-8, ``BadRequest(unsupported, name=…)`` for another format."""
    lower = filename.lower()
    if lower.endswith(".xlsx") or content[:2] == b"PK":
        return _xlsx_rows(content, unreadable)
    if lower.endswith((".csv", ".txt")) or not lower:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadRequest(unreadable, detail="不是 UTF-8 编码（请另存为 UTF-8 CSV）") from None
        return iter(csv.reader(io.StringIO(text)))
    raise BadRequest(unsupported, name=filename)


def _xlsx_rows(content: bytes, unreadable: str) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BadRequest(unreadable, detail=f"XLSX 文件损坏：{exc}") from None
    sheet = workbook.worksheets[0]

    def cells() -> Iterator[list[str]]:
        for row in sheet.iter_rows(values_only=True):
            yield [cell_text(value) for value in row]
        workbook.close()

    return cells()


def cell_text(value: Any) -> str:
    """A cell as text; Excel's floats without binary noise (89.5, not 89.500000001)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10f}".rstrip("0").rstrip(".")
    return str(value)
