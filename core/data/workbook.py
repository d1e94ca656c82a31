"""Writing XLSX for people: the fill-in template of an import (its headings, an example row and a
"填写说明" sheet that explains every column) and a list exported from the console.

Cells are written as text (number format ``@``) where a value is text, so Excel keeps ``1-101`` a room
number and ``0012`` its leading zeros when the template is filled in and saved again.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from core.data.tabular import Column
from core.messages import message

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTES_SHEET = "填写说明"
_MAX_WIDTH = 40


def _sheet_title(title: str) -> str:
    """Excel's limits on a sheet name: 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "Sheet1"


def _widths(sheet: Any, rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl.utils import get_column_letter

    for position in range(max((len(r) for r in rows), default=0)):
        longest = max((_display_width(r[position]) for r in rows if position < len(r)), default=4)
        sheet.column_dimensions[get_column_letter(position + 1)].width = min(_MAX_WIDTH, longest + 2)


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _save(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_xlsx(
    columns: Sequence[Column],
    *,
    sheet: str,
    example: Mapping[str, str] | None = None,
    notes: Iterable[str] = (),
) -> bytes:
    """The template of an import: sheet ``sheet`` with the columns' Chinese headings and one example
    row (``example`` by key, else each column's ``example``), and the sheet :data:`NOTES_SHEET` with
    each column's meaning, whether it is required, its allowed values, its unit and the other names
    the import accepts, then ``notes`` (lines for the whole list)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    data = workbook.active
    data.title = _sheet_title(sheet)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF1F4")
    header = [c.title for c in columns]
    row = [(example or {}).get(c.key, c.example) for c in columns]
    data.append(header)
    data.append(row)
    for cell in data[1]:
        cell.font, cell.fill = bold, fill
    for cell in data[2]:
        cell.number_format = "@"  # text: Excel keeps 1-101 and 0012 as typed
    data.freeze_panes = "A2"
    _widths(data, [header, row])

    sheet_notes = workbook.create_sheet(NOTES_SHEET)
    titles = [
        message(f"workbook_notes_{k}")
        for k in ("column", "meaning", "required", "allowed", "unit", "aliases")
    ]
    lines: list[list[str]] = [titles]
    for column in columns:
        lines.append(
            [
                column.title,
                column.meaning,
                message("workbook_required" if column.required else "workbook_optional"),
                column.allowed,
                column.unit,
                "、".join(dict.fromkeys((column.key, *column.aliases))),
            ]
        )
    for line in lines:
        sheet_notes.append(line)
    for cell in sheet_notes[1]:
        cell.font, cell.fill = bold, fill
    extra = [message("workbook_note_header"), message("workbook_note_formats"), *notes]
    sheet_notes.append([])
    for text in extra:
        sheet_notes.append([text])
    _widths(sheet_notes, lines)
    for line in sheet_notes.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _save(workbook)


def table_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str) -> bytes:
    """A list as an XLSX: a bold, frozen header row of Chinese headings, then the rows (dates and
    times as Excel dates; ``None`` as an empty cell)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    data = workbook.active
    data.title = _sheet_title(sheet)
    data.append(list(headers))
    written: list[Sequence[Any]] = [headers]
    for row in rows:
        cells = [_cell(v) for v in row]
        data.append(cells)
        for cell in data[data.max_row]:
            if cell.data_type == "f":  # text from the data that looks like a formula stays text
                cell.data_type = "s"
        if len(written) < 200:
            written.append(cells)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF1F4")
    for cell in data[1]:
        cell.font, cell.fill = bold, fill
    data.freeze_panes = "A2"
    _widths(data, written)
    return _save(workbook)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value  # Excel has no time zones
    if isinstance(value, date | int | float) or value is None:
        return value
    return str(value)
