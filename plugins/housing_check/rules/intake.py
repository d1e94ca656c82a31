"""The list of households the entrusting office sends (核查对象名单), as CSV or XLSX: every row
valid, or nothing imported.

One row per person; rows with the same ``household_no`` form a household, whose applicant is the row
with ``relation`` 申请人 (exactly one). Columns (header row, any order):
``household_no, name, id_number, relation``, or their Chinese headings (户编号, 姓名, 身份证号码, 关系 and
the other names in ``messages.HOUSEHOLD_COLUMNS``). Row numbers are the spreadsheet's (header = row 1,
or the row below a title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core import BadRequest, RowProblem, message, read_table
from plugins.housing_check.messages import HOUSEHOLD_COLUMNS
from plugins.housing_check.rules import valid_id_number
from plugins.housing_check.schemas import HouseholdIn, MemberIn

COLUMNS = tuple(c.key for c in HOUSEHOLD_COLUMNS)
MAX_LENGTH = {"household_no": 64, "name": 100, "id_number": 32, "relation": 32}
APPLICANT = "申请人"
MAX_ROWS = 5_000
MAX_LIST_MB = 2  #: the size of a list file (the API's whole request is already held to 2 MB by the core)


@dataclass
class ParsedList:
    households: list[HouseholdIn] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def _problem(row: int, where: str, code: str, /, **fmt: Any) -> RowProblem:
    return RowProblem(row, where, code, message(code, **fmt))


def parse_list(content: bytes, filename: str) -> ParsedList:
    if len(content) > MAX_LIST_MB * 1024 * 1024:
        raise BadRequest("housing_check_list_too_large", max=MAX_LIST_MB)
    table = read_table(
        content,
        filename,
        HOUSEHOLD_COLUMNS,
        plugin="housing_check",
        unreadable="housing_check_file_unreadable",
        unsupported="housing_check_file_format",
    )
    result = ParsedList()
    if not table.names and not table.problems:
        result.problems.append(_problem(1, "", "housing_check_file_empty"))
        return result
    result.problems.extend(table.problems)
    if result.problems:
        return result
    return validate_people(table.rows, result)


_SEPARATORS = re.compile(r"[\t,，、]|\s+")


def parse_lines(text: str) -> ParsedList:
    """Households typed (or pasted from a spreadsheet) into the console, one person a line:
    ``户编号 姓名 身份证号码 关系``, separated by spaces, tabs or commas. Row numbers are line numbers."""
    rows: list[tuple[int, dict[str, str]]] = []
    result = ParsedList()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c for c in _SEPARATORS.split(line.strip()) if c]
        if len(cells) != len(COLUMNS):
            result.problems.append(_problem(number, "", "housing_check_line_fields", count=len(cells)))
            continue
        rows.append((number, dict(zip(COLUMNS, cells, strict=True))))
    if not rows and not result.problems:
        result.problems.append(_problem(1, "", "housing_check_file_empty"))
        return result
    return validate_people(rows, result)


def validate_people(rows: Any, result: ParsedList | None = None) -> ParsedList:
    """Validate ``(row number, {column: value})`` pairs and group them into households.

    Also used for households entered in the console (the row number is then the person's position).
    """
    result = result or ParsedList()
    households: dict[str, HouseholdIn] = {}
    first_row: dict[str, int] = {}
    applicant_row: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    count = 0
    for number, values in rows:
        count += 1
        if count > MAX_ROWS:
            result.problems.append(_problem(number, "", "housing_check_file_too_many_rows", max=MAX_ROWS))
            break
        before = len(result.problems)
        for column in COLUMNS:
            if not values.get(column, ""):
                result.problems.append(_problem(number, column, "housing_check_row_blank", column=column))
            elif len(values[column]) > MAX_LENGTH[column]:
                result.problems.append(
                    _problem(
                        number, column, "housing_check_row_too_long", column=column, max=MAX_LENGTH[column]
                    )
                )
        id_number = values.get("id_number", "").upper()
        if id_number and len(id_number) <= MAX_LENGTH["id_number"]:
            if not valid_id_number(id_number):
                result.problems.append(
                    _problem(number, "id_number", "housing_check_row_bad_id", value=id_number)
                )
            elif id_number in seen_ids:
                result.problems.append(
                    _problem(
                        number,
                        "id_number",
                        "housing_check_row_duplicate_id",
                        value=id_number,
                        first=seen_ids[id_number],
                    )
                )
            else:
                seen_ids[id_number] = number
        key = values.get("household_no", "")
        if key and values.get("relation") == APPLICANT:
            if key in applicant_row:
                result.problems.append(
                    _problem(
                        number,
                        "relation",
                        "housing_check_row_two_applicants",
                        household=key,
                        first=applicant_row[key],
                    )
                )
            else:
                applicant_row[key] = number
        if len(result.problems) > before or not key:
            continue
        household = households.setdefault(key, HouseholdIn(key, []))
        first_row.setdefault(key, number)
        household.members.append(MemberIn(values["name"], id_number, values["relation"]))
    for key, number in first_row.items():
        if key not in applicant_row:
            result.problems.append(
                _problem(number, "relation", "housing_check_row_no_applicant", household=key)
            )
    if count == 0 and not result.problems:
        result.problems.append(_problem(2, "", "housing_check_file_empty"))
    if result.problems:
        result.households = []
        return result
    for household in households.values():  # the applicant first, then the list's order
        household.members.sort(key=lambda m: m.relation != APPLICANT)
    result.households = list(households.values())
    return result
