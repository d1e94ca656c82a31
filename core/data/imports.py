"""What every file import of a plugin shares: the problems found in its rows, reported all at once
(spreadsheet row and column, stable code, Chinese message), and the file as it was received.

An import is all-or-nothing: a plugin parses the whole file into values and :class:`RowProblem`s and
writes nothing unless there are no problems (the upload, the CLI and the console show the same list)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.errors import BadRequest

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class RowProblem:
    """One problem of an imported file."""

    row: int  #: spreadsheet row (the header is row 1); 1 for problems of the header itself
    column: str  #: the column as the file names it ("" for the whole row)
    code: str  #: stable, for programs
    message: str  #: Chinese, for people

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Upload:
    """A file as received from a form, the API or the CLI: its name as the sender gave it, its bytes and
    the media type the sender claimed ("" when none was given; sniff the bytes before trusting it)."""

    filename: str
    content: bytes
    media_type: str = ""

    def __post_init__(self) -> None:
        """A name (or claimed type) with a control character is refused (400 ``upload_name_control``)
        before anything is stored: it would be kept invisibly (SQLite), refused by the database
        (PostgreSQL), or break the header of the download that names it."""
        if _CONTROL.search(self.filename) or _CONTROL.search(self.media_type):
            raise BadRequest("upload_name_control", name=_CONTROL.sub("?", self.filename)[:80])

    @property
    def size(self) -> int:
        return len(self.content)
