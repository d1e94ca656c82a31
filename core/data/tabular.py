"""Reading an uploaded list (CSV, or the first sheet of an XLSX) as rows of cell strings, strictly.

What offices actually send: CSV saved by Excel in GBK (Chinese Windows' "CSV"), in UTF-8 with or
without BOM, in UTF-16 ("Unicode text"); XLSX. The reader decodes all of them, and refuses — with
a Chinese reason and the row it found it in — what would otherwise be read as something it is not:
an unclosed quote (which would swallow the rest of the file into one cell), NUL and other control
characters, a cell longer than :data:`MAX_CELL_CHARS`, an old binary ``.xls``, a damaged XLSX or one
without a sheet. The whole file is read before a row is returned, so a problem anywhere in it stops
the import before anything is written. Plugins map the header with :func:`map_header` and validate
the rows themselves, under their own error codes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

from core.data.imports import RowProblem
from core.errors import BadRequest
from core.messages import message

MAX_CELL_CHARS = 4000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc: the old Office binary format


def read_rows(content: bytes, filename: str, *, unreadable: str, unsupported: str) -> Iterator[list[str]]:
    """Rows of cells as strings. Raises ``BadRequest(unreadable, detail=…)`` for a damaged or
    malformed file, ``BadRequest(unsupported, name=…)`` for another format."""
    lower = filename.lower()
    if content.startswith(_OLE) or lower.endswith(".xls"):
        raise BadRequest(unreadable, detail=message("tabular_xls"))
    if lower.endswith(".xlsx") or content[:2] == b"PK":
        rows = _xlsx_rows(content, unreadable)
    elif lower.endswith((".csv", ".txt")) or not lower:
        rows = _csv_rows(_decode(content, unreadable), unreadable)
    else:
        raise BadRequest(unsupported, name=filename)
    for number, row in enumerate(rows, start=1):
        for cell in row:
            if _CONTROL.search(cell):
                raise BadRequest(unreadable, detail=message("tabular_control", row=number))
            if len(cell) > MAX_CELL_CHARS:
                detail = message("tabular_long_cell", row=number, max=MAX_CELL_CHARS)
                raise BadRequest(unreadable, detail=detail)
    return iter(rows)


def _decode(content: bytes, unreadable: str) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise BadRequest(unreadable, detail=message("tabular_encoding")) from None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")  # GBK and its superset: Excel's "CSV" on Chinese Windows
    except UnicodeDecodeError:
        raise BadRequest(unreadable, detail=message("tabular_encoding")) from None


def _csv_rows(text: str, unreadable: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        line = reader.line_num or 1
        key = "tabular_long_cell" if "field larger" in str(exc) else "tabular_quote"
        raise BadRequest(unreadable, detail=message(key, row=line, max=MAX_CELL_CHARS)) from None
    return rows


def _xlsx_rows(content: bytes, unreadable: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged zip, missing or broken parts: openpyxl raises many kinds
        raise BadRequest(unreadable, detail=message("tabular_xlsx", reason=type(exc).__name__)) from None
    try:
        if not workbook.worksheets:
            raise BadRequest(unreadable, detail=message("tabular_no_sheet"))
        sheet = workbook.worksheets[0]
        return [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    except BadRequest:
        raise
    except Exception as exc:  # broken sheet XML shows only while the rows are read
        raise BadRequest(unreadable, detail=message("tabular_xlsx", reason=type(exc).__name__)) from None
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A cell as text; Excel's floats without binary noise (89.5, not 89.500000001)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10f}".rstrip("0").rstrip(".")
    return str(value)


def map_header(
    header: Iterable[str],
    columns: Iterable[str],
    *,
    plugin: str,
    aliases: dict[str, str] | None = None,
) -> tuple[dict[str, int], list[RowProblem]]:
    """The position of each of ``columns`` in a header row, and the header's problems: a column
    unknown, given twice, or missing — codes ``<plugin>_row_unknown_column``,
    ``<plugin>_row_duplicate_column``, ``<plugin>_row_missing_column`` (the plugin's catalogue words
    them, with ``{column}``). Names compare trimmed and case-blind; ``aliases`` maps other names
    (Chinese headings) to a column."""
    wanted = list(columns)
    aliases = {k.strip().lower(): v for k, v in (aliases or {}).items()}
    index: dict[str, int] = {}
    problems: list[RowProblem] = []

    def problem(kind: str, column: str) -> None:
        code = f"{plugin}_row_{kind}_column"
        problems.append(RowProblem(1, column, code, message(code, column=column)))

    for position, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff").strip().lower()
        if not name:
            continue
        column = aliases.get(name, name)
        if column not in wanted:
            problem("unknown", raw.strip())
        elif column in index:
            problem("duplicate", raw.strip())
        else:
            index[column] = position
    for column in wanted:
        if column not in index:
            problem("missing", column)
    return index, problems
