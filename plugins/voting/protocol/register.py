"""Reading an electoral register (业主名册) from CSV or XLSX: all rows valid, or nothing.

Columns (header row, any order): ``unit_code, area_m2, area_source, owner_key, owner_name,
certificate_no, developer_unsold`` — or their Chinese headings (房号, 专有部分面积（㎡）, 面积来源, 业主编号,
业主姓名, 不动产权证号, 开发商未售, and the other names in ``messages.REGISTER_COLUMNS``); the last two may
be left out. Row numbers in problems are the spreadsheet's (the header is row 1, or the row below a
title).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from core import BadRequest, RowProblem, Table, message, parse_flag, parse_quantity, read_table
from core import read_rows as read_list
from plugins.voting.messages import AREA_SOURCE_WORDS, REGISTER_COLUMNS, SOLD_WORDS, UNSOLD_WORDS
from plugins.voting.protocol.rules import AREA_SOURCES, Unit, parse_area

COLUMNS = tuple(c.key for c in REGISTER_COLUMNS)
REQUIRED = tuple(c.key for c in REGISTER_COLUMNS if c.required)
MAX_LENGTH = {"unit_code": 64, "owner_key": 128, "owner_name": 200, "certificate_no": 128}
UNIT_CODE_RE = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff._\-#/]*$")
MAX_ROWS = 200_000


@dataclass
class ParsedRegister:
    units: list[Unit] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.units)


class RegisterFileError(BadRequest):
    """The file itself cannot be read (format, encoding, damage): 400 over HTTP, exit 2 on the CLI."""


def read_rows(content: bytes, filename: str) -> Iterator[list[str]]:
    """Rows of cells as strings, from CSV (UTF-8, GBK or UTF-16) or XLSX, read strictly
    (``core.data.tabular``)."""
    try:
        return read_list(
            content, filename, unreadable="voting_register_unreadable", unsupported="voting_register_format"
        )
    except BadRequest as exc:
        raise RegisterFileError(exc.code, exc.message) from None


def read_register_table(content: bytes, filename: str) -> Table:
    try:
        return read_table(
            content,
            filename,
            REGISTER_COLUMNS,
            plugin="voting",
            unreadable="voting_register_unreadable",
            unsupported="voting_register_format",
        )
    except BadRequest as exc:
        raise RegisterFileError(exc.code, exc.message) from None


def parse_register(content: bytes, filename: str) -> ParsedRegister:
    """Parse and validate a whole register; every problem is reported with its row number."""
    result = ParsedRegister()
    table = read_register_table(content, filename)
    if not table.rows and not table.problems and not table.names:
        result.problems.append(RowProblem(1, "", "voting_register_empty", message("voting_register_empty")))
        return result
    result.problems.extend(table.problems)
    if result.problems:
        return result

    seen: dict[str, int] = {}
    for count, (number, values) in enumerate(table.rows, start=1):
        if count > MAX_ROWS:
            result.problems.append(RowProblem(number, "", "voting_register_unreadable", "行数超过上限"))
            break
        unit = _parse_row(number, values, seen, result.problems, table)
        if unit is not None:
            result.units.append(unit)
    if not result.units and not result.problems:
        row = table.header_row + 1
        result.problems.append(RowProblem(row, "", "voting_register_empty", message("voting_register_empty")))
    if result.problems:
        result.units = []
    return result


def _parse_row(
    number: int, values: dict[str, str], seen: dict[str, int], problems: list[RowProblem], table: Table
) -> Unit | None:
    """One row; a problem names the column as the file heads it (``房号`` or ``unit_code``)."""
    before = len(problems)

    def problem(where: str, code: str, /, **fmt: Any) -> None:
        problems.append(RowProblem(number, table.name(where), code, message(code, **fmt)))

    for column in REQUIRED:
        if not values[column]:
            problem(column, "voting_row_blank", column=table.name(column))
    for column, limit in MAX_LENGTH.items():
        if len(values[column]) > limit:
            problem(column, "voting_row_too_long", column=table.name(column), max=limit)
    code = values["unit_code"]
    if code:
        if not UNIT_CODE_RE.match(code):
            problem("unit_code", "voting_row_bad_unit_code", value=code)
        elif code in seen:
            problem("unit_code", "voting_row_duplicate_unit", value=code, first=seen[code])
        else:
            seen[code] = number
    quantity = parse_quantity(values["area_m2"]) if values["area_m2"] else None
    area = parse_area(quantity) if quantity is not None else None
    if values["area_m2"] and area is None:
        problem("area_m2", "voting_row_bad_area", value=values["area_m2"])
    source = AREA_SOURCE_WORDS.get(values["area_source"].strip().lower(), "")
    if values["area_source"] and source not in AREA_SOURCES:
        problem("area_source", "voting_row_unknown_source", value=values["area_source"])
    unsold = parse_flag(values["developer_unsold"], true=UNSOLD_WORDS, false=SOLD_WORDS)
    if unsold is None:
        column = table.name("developer_unsold")
        problem("developer_unsold", "voting_row_bad_flag", column=column, value=values["developer_unsold"])
    if len(problems) > before:
        return None
    assert area is not None
    return Unit(
        unit_code=code,
        area_centi=area,
        area_source=source,
        owner_key=values["owner_key"],
        owner_name=values["owner_name"],
        certificate_no=values["certificate_no"],
        developer_unsold=bool(unsold),
    )
