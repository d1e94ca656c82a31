"""Reading an uploaded list (CSV, or the first sheet of an XLSX) as rows of cell strings, strictly.

What offices actually send: CSV saved by Excel in GBK (Chinese Windows' "CSV"), in UTF-8 with or
without BOM, in UTF-16 ("Unicode text"); XLSX. The reader decodes all of them, and refuses — with
a Chinese reason and the row it found it in — what would otherwise be read as something it is not:
an unclosed quote (which would swallow the rest of the file into one cell), NUL and other control
characters, a cell longer than :data:`MAX_CELL_CHARS`, an old binary ``.xls``, a damaged XLSX or one
without a sheet. The whole file is read before a row is returned, so a problem anywhere in it stops
the import before anything is written. Plugins map the header with :func:`map_header` and validate
the rows themselves, under their own error codes.

What people type as a header or a value varies more than what a program writes: a plugin describes
its columns once (:class:`Column`: the English name, the Chinese heading and other names people use,
and the words for the template's notes sheet), and :func:`read_table` finds the header row — below a
title row, or across a two-row header merged in Excel — and matches the names trimmed, case-blind,
full-width or half-width, without the unit in brackets ("专有部分面积（㎡）" is "专有部分面积").
:func:`parse_flag` and :func:`parse_quantity` read the values people write for yes/no and for an area
("是", "✓", "89.5㎡", "８９．５０ 平方米") and give ``None`` for what could be read two ways.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Column:
    """One column of an import: ``key`` (the English name programs use), ``title`` (the heading of the
    template), ``aliases`` (other headings people write), and the words of the template's notes
    sheet: what it means, whether it must be filled, the values it allows, its unit, an example."""

    key: str
    title: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    meaning: str = ""
    allowed: str = ""
    unit: str = ""
    example: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, self.title, *self.aliases)


_BRACKETED = re.compile(r"[(\[【〔<《][^)\]】〕>》]*[)\]】〕>》]")
_UNIT_SUFFIX = re.compile(r"(?:(?<=[\u4e00-\u9fff])|/)(?:m2|平方米|平米|元|%)$")
_SPACES = re.compile(r"\s+")


def header_key(text: str) -> str:
    """A heading as it is compared: NFKC (full-width letters, digits and brackets as half-width,
    "㎡" as "m2"), without spaces, BOM, required-markers ("*") or a trailing colon, lower case, and
    without bracketed notes or units ("面积（㎡）", "面积(m2)", "面积【必填】" → "面积")."""
    key = unicodedata.normalize("NFKC", text.replace("\ufeff", "")).lower()
    key = _SPACES.sub("", key).strip("*:：")
    key = _BRACKETED.sub("", key)
    key = _UNIT_SUFFIX.sub("", key)
    return key.strip("*:：")


@dataclass
class Table:
    """A list read against its columns: ``rows`` are ``(spreadsheet row, {key: value stripped})`` for
    every row below the header that is not blank; ``names`` the heading each column has in the file;
    ``problems`` the header's (nothing else is read when there are any)."""

    header_row: int = 1
    names: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def name(self, key: str) -> str:
        return self.names.get(key, key)


#: How far down a header may be found (title rows above it, a two-row header).
HEADER_SCAN_ROWS = 6


def read_table(
    content: bytes,
    filename: str,
    columns: Sequence[Column],
    *,
    plugin: str,
    unreadable: str,
    unsupported: str,
) -> Table:
    """Read a list (:func:`read_rows`) and find and map its header (:func:`locate_header`,
    :func:`map_header`); an empty file gives a table without rows and without problems."""
    rows = list(read_rows(content, filename, unreadable=unreadable, unsupported=unsupported))
    table = Table()
    if not rows:
        return table
    start, header, problems = locate_header(rows, columns, plugin=plugin)
    table.header_row = start
    table.problems.extend(problems)
    if problems:
        return table
    index, header_problems = map_header(header, columns, plugin=plugin)
    for problem in header_problems:
        table.problems.append(RowProblem(start, problem.column, problem.code, problem.message))
    if table.problems:
        return table
    table.names = {c.key: c.title for c in columns} | {key: header[i].strip() for key, i in index.items()}
    for number, row in enumerate(rows[start:], start=start + 1):
        if any(cell.strip() for cell in row):
            values = dict.fromkeys((c.key for c in columns), "")
            values.update({c: (row[i].strip() if i < len(row) else "") for c, i in index.items()})
            table.rows.append((number, values))
    return table


def _lookup(columns: Iterable[Column | str], aliases: dict[str, str] | None = None) -> dict[str, str]:
    names: dict[str, str] = {}
    for column in columns:
        if isinstance(column, Column):
            for name in column.names:
                names.setdefault(header_key(name), column.key)
        else:
            names.setdefault(header_key(column), column)
    for name, key in (aliases or {}).items():
        names.setdefault(header_key(name), key)
    return names


def locate_header(
    rows: Sequence[Sequence[str]], columns: Sequence[Column], *, plugin: str
) -> tuple[int, list[str], list[RowProblem]]:
    """Where the header is: ``(its last spreadsheet row, its cells, problems)``.

    The header is the row (among the first :data:`HEADER_SCAN_ROWS`) that names the most columns.
    Rows above it that name none are titles and are skipped ("某某小区业主名册", merged across the
    sheet). A header cell merged across two rows leaves the lower cell empty, and a two-row header
    puts the columns' names in the lower row under a group title: either way the two rows are read
    as one, each cell from the row in which it names a column. A row above the header that names
    columns but is not part of it is refused (``<plugin>_row_header_rows``, naming the rows)."""
    names = _lookup(columns)

    def named(row: Sequence[str]) -> set[str]:
        return {names[k] for k in (header_key(c) for c in row) if k in names}

    scan = [named(row) for row in rows[:HEADER_SCAN_ROWS]]
    best = max(range(len(scan)), key=lambda i: (len(scan[i]), -i))
    if not scan[best]:
        return 1, list(rows[0]), []
    top, bottom = best, best
    if best + 1 < len(scan) and scan[best + 1] - scan[best]:
        bottom = best + 1  # names in the row below: a two-row header
    elif best > 0 and scan[best - 1] - scan[best]:
        top = best - 1  # names in the row above (cells merged down, or the upper row of the header)
    problems = [
        RowProblem(
            i + 1,
            "",
            f"{plugin}_row_header_rows",
            message(f"{plugin}_row_header_rows", row=i + 1, header=top + 1),
        )
        for i in range(top)
        if scan[i]
    ]
    if top == bottom:
        return bottom + 1, list(rows[bottom]), problems
    upper, lower = rows[top], rows[bottom]
    merged: list[str] = []
    for position in range(max(len(upper), len(lower))):
        up = upper[position] if position < len(upper) else ""
        low = lower[position] if position < len(lower) else ""
        if header_key(low) in names or (header_key(up) not in names and low.strip()):
            merged.append(low)
        else:
            merged.append(up)
    return bottom + 1, merged, problems


#: Words for yes and no in a flag column (after :func:`header_key`-like normalisation).
TRUE_WORDS = frozenset({"1", "是", "y", "yes", "true", "✓", "√", "✔", "☑", "对"})
FALSE_WORDS = frozenset({"0", "否", "n", "no", "false", "×", "✗", "✘", "☐", "不是"})


def parse_flag(
    text: str, *, true: Iterable[str] = (), false: Iterable[str] = (), blank: bool | None = False
) -> bool | None:
    """A yes/no cell: ``1``/``0``, 是/否, ✓/×, yes/no, and the column's own words (``true``/``false``,
    e.g. 未售/已售); an empty cell is ``blank``; anything else ``None`` (refuse it, naming the cell)."""
    value = _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()
    if not value:
        return blank
    yes = TRUE_WORDS | {unicodedata.normalize("NFKC", w).lower() for w in true}
    no = FALSE_WORDS | {unicodedata.normalize("NFKC", w).lower() for w in false}
    if value in yes and value not in no:
        return True
    if value in no and value not in yes:
        return False
    return None


_QUANTITY = re.compile(r"^\d+(?:\.\d+)?$")
AREA_UNITS = ("m2", "平方米", "平米", "米2", "sqm")


def parse_quantity(text: str, units: Iterable[str] = AREA_UNITS) -> str | None:
    """A number as people write it — ``89.5``, ``89.5㎡``, ``89.50 平方米``, full-width digits — as a
    plain decimal string (``"89.50"``); ``None`` for what is not one or could be read two ways
    (``"89,5"``, ``"1,234"``: a decimal or a thousands comma; two numbers; a sign)."""
    value = unicodedata.normalize("NFKC", text).strip().lower()
    for unit in sorted(units, key=len, reverse=True):
        if value.endswith(unit):
            value = value[: -len(unit)].strip()  # "89.50 平方米": a space before the unit only
            break
    return value if _QUANTITY.match(value) else None


def map_header(
    header: Iterable[str],
    columns: Iterable[str | Column],
    *,
    plugin: str,
    aliases: dict[str, str] | None = None,
) -> tuple[dict[str, int], list[RowProblem]]:
    """The position of each of ``columns`` in a header row, and the header's problems: a column
    unknown, given twice, or missing — codes ``<plugin>_row_unknown_column``,
    ``<plugin>_row_duplicate_column``, ``<plugin>_row_missing_column`` (the plugin's catalogue words
    them, with ``{column}``). Names compare as :func:`header_key` makes them (trimmed, case-blind,
    full-width as half-width, without units in brackets); a :class:`Column` is known by its title and
    aliases too, and a missing one is named by its title; ``aliases`` maps further names to a column."""
    columns = list(columns)
    wanted = [c.key if isinstance(c, Column) else c for c in columns]
    titles = {c.key: c.title for c in columns if isinstance(c, Column)}
    optional = {c.key for c in columns if isinstance(c, Column) and not c.required}
    names = _lookup(columns, aliases)
    index: dict[str, int] = {}
    problems: list[RowProblem] = []

    def problem(kind: str, column: str) -> None:
        code = f"{plugin}_row_{kind}_column"
        problems.append(RowProblem(1, column, code, message(code, column=column)))

    for position, raw in enumerate(header):
        name = header_key(raw)
        if not name:
            continue
        column = names.get(name, name)
        if column not in wanted:
            problem("unknown", raw.strip())
        elif column in index:
            problem("duplicate", raw.strip())
        else:
            index[column] = position
    for column in wanted:
        if column not in index and column not in optional:
            problem("missing", titles.get(column, column))
    return index, problems
