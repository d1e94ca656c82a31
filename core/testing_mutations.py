"""Mutated-file tests of importers: corrupt a good file the ways careless exports and wrong files do,
hand it to the importer over HTTP and the CLI, and hold the importer to its promise — a Chinese refusal
(HTTP 4xx ``{code, message}`` / exit 2 on stderr), never a traceback or a 500, and the database exactly
as it was, row by row (or, when the mutation left a valid file, the whole new file taken).

* :func:`mutate` (bytes), :func:`mutate_lines` (lines of a text file), :func:`mutate_rows` (cells of
  a list, written as CSV or XLSX by :func:`rows_file`) and :func:`mutate_json` (a JSON document's
  structure: wrong types, missing and extra keys, NUL, huge strings) make the bad files;
  :data:`MUTATION_SETTINGS` bounds a hypothesis test that draws them (``st.randoms()``).
* :func:`table_rows` / :func:`database_rows` snapshot tables row by row; :func:`files_under` a folder.
* :func:`assert_refused` / :func:`assert_page_refused` check an HTTP refusal, :func:`wuye_batch` runs
  many CLI invocations in one ``wuye`` process (its command tree, its error handling and exit codes,
  without paying the start-up of the program for every file) and :func:`assert_cli_refused` checks one.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings

from core.settings import PROJECT_ROOT

#: Hypothesis settings for a test that sends mutated files through a route or the CLI: few examples
#: (each is a request and a snapshot of the database), no deadline (PostgreSQL and file parsing vary),
#: function-scoped fixtures allowed (the database is compared before and after every example, so an
#: example never depends on the one before), no example database written into the checkout.
MUTATION_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Bytes a careless export or a wrong file puts into a text file: a quote, NUL, a separator, a bare CR,
#: ESC, a UTF-16 BOM, a full-width comma, and the structure of JSON and TOML.
SPECIAL_BYTES = (
    b'"',
    b"\x00",
    b",",
    b"\r",
    b"\x1b",
    b"\xff\xfe",
    "，".encode(),
    b"{",
    b"]",
    b"=",
    b"\\",
    b"\n",
)

#: Cell values and JSON strings that an importer must refuse or take for what they are.
HOSTILE_TEXT = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u202e",
    "x\ny",
    '"',
    "=1+1",
    "-1",
    "0",
    "1e308",
    "NaN",
    "9" * 40,
    "2026-02-30",
    "9999-12-31",
    "长" * 5000,
)

#: JSON values of every type, for a field that expects another.
HOSTILE_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    2**63,
    -(2**70),
    1.5,
    1e308,
    [],
    {},
    ["x"],
    {"x": 1},
    *HOSTILE_TEXT,
    "x" * 200_000,
)


def mutate(content: bytes, rng: random.Random, specials: Sequence[bytes] = SPECIAL_BYTES) -> bytes:
    """One small corruption of the bytes: a byte changed, a special byte inserted, a run deleted, the
    file cut short, random bytes inserted, or a line given twice."""
    if not content:
        return rng.choice(list(specials))
    data = bytearray(content)
    kind = rng.randrange(6)
    at = rng.randrange(len(data))
    if kind == 0:
        data[at] = rng.randrange(256)
    elif kind == 1:
        data[at:at] = rng.choice(list(specials))
    elif kind == 2:
        del data[at : at + rng.randrange(1, 20)]
    elif kind == 3:
        data = data[:at]
    elif kind == 4:
        data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
    else:
        line = rng.choice(content.split(b"\n")[1:-1] or [b""])
        data += line + b"\n"  # a row twice
    return bytes(data)


def mutate_lines(content: bytes, rng: random.Random) -> bytes:
    """One change to the lines of a text file: a line dropped, doubled, moved, or two lines' halves
    exchanged (a key given another's value)."""
    lines = content.split(b"\n")
    if len(lines) < 2:
        return mutate(content, rng)
    kind = rng.randrange(4)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(j, lines[i])
    elif kind == 2:
        lines.insert(j, lines.pop(i))
    else:
        a, sep_a, rest_a = lines[i].partition(b"=")
        b, sep_b, rest_b = lines[j].partition(b"=")
        if sep_a and sep_b:
            lines[i], lines[j] = a + b"=" + rest_b, b + b"=" + rest_a
        else:
            lines[i] = lines[j]
    return b"\n".join(lines)


def mutate_rows(rows: Sequence[Sequence[Any]], rng: random.Random) -> list[list[Any]]:
    """One change to a list's cells (the first row is its header): a cell emptied or given a hostile
    value, a column dropped or doubled, a heading renamed, the header dropped, a row doubled, two cells
    swapped, a row cut short or lengthened, a cell given as a number."""
    table = [list(row) for row in rows]
    if not table:
        return [[rng.choice(HOSTILE_TEXT)]]
    kind = rng.randrange(11)
    r = rng.randrange(len(table))
    width = max(len(row) for row in table) or 1
    c = rng.randrange(width)

    def cell(row: list[Any], index: int, value: Any) -> None:
        row.extend([""] * (index + 1 - len(row)))
        row[index] = value

    if kind == 0:
        cell(table[r], c, "")
    elif kind == 1:
        cell(table[r], c, rng.choice(HOSTILE_TEXT))
    elif kind == 2:
        for row in table:
            del row[c : c + 1]
    elif kind == 3:
        for row in table:
            row.append(row[c] if c < len(row) else "")
    elif kind == 4:
        cell(table[0], c, rng.choice(["", "unknown", table[0][(c + 1) % len(table[0])] if table[0] else "x"]))
    elif kind == 5:
        del table[0]
    elif kind == 6:
        table.insert(rng.randrange(1, len(table) + 1), list(table[r]))
    elif kind == 7:
        d = rng.randrange(width)
        row = table[r]
        row.extend([""] * (width - len(row)))
        row[c], row[d] = row[d], row[c]
    elif kind == 8:
        del table[r][c:]
    elif kind == 9:
        table[r].append(rng.choice(HOSTILE_TEXT))
    else:
        cell(table[r], c, rng.choice([0, -1, 1.5, 10**12, True]))
    return table


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


_WIDE = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}  #: ASCII as full-width forms
_DECORATIONS = ("{}", " {} ", "{}（㎡）", "{}(m2)", "{}*", "{}：", "{}【必填】")


def header_variant(
    rows: Sequence[Sequence[Any]], columns: Sequence[Any], rng: random.Random
) -> list[list[Any]]:
    """``rows`` with the header (the first row, named by ``columns``' keys) as offices write it: each
    heading drawn from the column's names (``core.Column``: its Chinese title, another name people use,
    or the English key), maybe decorated (a unit in brackets, full-width letters, spaces, a required
    mark); sometimes a title row above the header. The data rows are kept as they are."""
    by_key = {c.key: c for c in columns}
    header = []
    for cell in rows[0]:
        column = by_key.get(str(cell))
        if column is None:
            header.append(cell)
            continue
        name = rng.choice(column.names)
        if rng.randrange(4) == 0:
            name = "".join(_WIDE.get(ch, ch) for ch in name)
        header.append(rng.choice(_DECORATIONS).format(name))
    table = [header, *(list(r) for r in rows[1:])]
    if rng.randrange(3) == 0:
        table.insert(0, [rng.choice(("某某小区名单（2026年）", "附件1", "名单"))])
    return table


def rows_file(rows: Sequence[Sequence[Any]], rng: random.Random) -> tuple[str, bytes]:
    """``rows`` as an office would send them: an XLSX workbook, or CSV in UTF-8 (with or without BOM),
    GBK or UTF-16. A cell an XLSX cannot hold (a control character) makes it a CSV."""
    from openpyxl.utils.exceptions import IllegalCharacterError

    from core.testing import xlsx_bytes

    kind = rng.randrange(5)
    if kind == 0:
        try:
            return "list.xlsx", xlsx_bytes([list(row) for row in rows])
        except (IllegalCharacterError, ValueError):
            pass
    encoding = ["utf-8", "utf-8-sig", "gbk", "utf-16"][rng.randrange(4)]
    return "list.csv", csv_bytes(rows, encoding)


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterable[tuple[Any, ...]]:
    """Every path into a JSON document, the document itself first."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def mutate_json(document: Any, rng: random.Random) -> Any:
    """One structural change to a JSON document: a value replaced by one of another type (or a hostile
    string), a key removed, an unknown key added, a list emptied or an item doubled, a string given a
    NUL or made huge. The document itself is not changed."""
    data = copy.deepcopy(document)
    path = rng.choice(list(_places(data)))
    if not path:
        return rng.choice([*HOSTILE_VALUES, [data], {"data": data}])
    parent, key = _at(data, path[:-1]), path[-1]
    value = parent[key]
    kind = rng.randrange(6)
    if kind == 0:
        parent[key] = rng.choice(HOSTILE_VALUES)
    elif kind == 1:
        del parent[key]
    elif kind == 2 and isinstance(parent, dict):
        parent[rng.choice(["extra", "id", "__proto__", "标题", ""])] = rng.choice(HOSTILE_VALUES)
    elif kind == 3 and isinstance(value, list):
        if value and rng.randrange(2):
            value.append(copy.deepcopy(rng.choice(value)))
        else:
            value.clear()
    elif kind == 4 and isinstance(value, str):
        at = rng.randrange(len(value) + 1)
        parent[key] = value[:at] + rng.choice(["\x00", "\x07", "\u202e", "\x7f"]) + value[at:]
    elif kind == 5 and isinstance(value, str):
        parent[key] = value * (100_000 // max(len(value), 1) + 1)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        parent[key] = rng.choice([-value, value * 1000, 0, -1, str(value)])
    else:
        parent[key] = rng.choice(HOSTILE_VALUES)
    return data


def mutated_json_file(document: Any, rng: random.Random) -> bytes:
    """A mutated JSON file: its structure changed (:func:`mutate_json`) or its bytes (:func:`mutate`)."""
    if rng.randrange(3):
        return json.dumps(mutate_json(document, rng), ensure_ascii=rng.randrange(2) == 0).encode()
    return mutate(json.dumps(document, ensure_ascii=False, indent=1).encode(), rng)


def bad_uploads(good: bytes, max_bytes: int) -> dict[str, tuple[str, bytes, str]]:
    """Uploads an attachment or photo route must refuse (name → (filename, bytes, claimed type)): an
    empty file, one a byte over ``max_bytes``, a name holding NUL or another control character."""
    return {
        "empty": ("empty.jpg", b"", "image/jpeg"),
        "too-large": ("large.jpg", good + b"\0" * (max_bytes + 1 - len(good)), "image/jpeg"),
        "nul-in-name": ("a\x00b.jpg", good, "image/jpeg"),
        "control-in-name": ("a\x1b[2Jb.jpg", good, "image/jpeg"),
    }


#: Uploads that are odd but harmless (name → (filename, claimed type)): taken, under a name that names
#: no place on disk, or refused; never a 500, never a file written outside the database.
ODD_NAMES = {
    "traversal": ("../../../../etc/passwd", "image/jpeg"),
    "windows-path": ("C:\\Windows\\win.ini", "image/jpeg"),
    "long-name": ("长" * 1000 + ".jpg", "image/jpeg"),
    "no-name": (" ", "image/jpeg"),
    "html-claimed": ("x.html", "text/html"),
    "right-to-left": ("gpj.\u202eexe", "application/x-msdownload"),
}


def multipart(fields: dict[str, str], files: Sequence[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body (and its content type) written byte for byte, as a client that
    escapes nothing sends it: ``files`` as (field, filename, bytes, claimed type), the filename raw in
    UTF-8 (httpx would percent-encode a NUL or a control character, so the server never saw one)."""
    boundary = "----WuyeMutationBoundary7d3F"  # mixed case, as browsers send it
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        parts.append(value.encode() + b"\r\n")
    for name, filename, content, media_type in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {media_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- the database and the disk, before and after --------------------------------------------------


def _cell(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        import hashlib

        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    return repr(value)


Rows = dict[str, list[tuple[tuple[str, str], ...]]]  #: a snapshot: table name → its rows


async def table_rows(*tables: Any, ignore: Iterable[str] = ()) -> Rows:
    """Every row of each Piccolo table, in primary-key order, each as its sorted (column, value) pairs
    (``ignore``: columns left out, e.g. ``id`` where a valid re-import renumbers rows)."""
    skipped = set(ignore)
    snapshot: Rows = {}
    if not tables:
        return snapshot
    async with tables[0]._meta.db.transaction():  # one connection and one view for all of them
        for table in tables:
            rows = await table.select().order_by(table._meta.primary_key)
            snapshot[table._meta.tablename] = [
                tuple(sorted((k, _cell(v)) for k, v in row.items() if k not in skipped)) for row in rows
            ]
    return snapshot


#: Tables a request may change without writing anything: the session's last activity.
VOLATILE_TABLES = ("core_staff_session",)


async def database_rows(runtime: Any, skip: Iterable[str] = VOLATILE_TABLES) -> Rows:
    """Every row of every table of the runtime's apps (the audit log included), but ``skip``."""
    from core.data.db import table_classes

    left_out = set(skip)
    classes = [t for t in table_classes(runtime.app_modules) if t._meta.tablename not in left_out]
    return await table_rows(*classes)


def assert_unchanged(before: Rows, after: Rows, *, reads: Iterable[str] = (), where: Any = "") -> None:
    """The database as it was, row by row — but for new audit entries of the actions ``reads``: a
    refused console form shows its page again, and a page that shows personal data audits the read."""
    log = "core_audit_log"
    allowed = {repr(action) for action in reads}
    assert {k: v for k, v in after.items() if k != log} == {k: v for k, v in before.items() if k != log}, (
        where
    )
    old, new = before.get(log, []), after.get(log, [])
    assert new[: len(old)] == old, where
    added = [dict(row)["action"] for row in new[len(old) :]]
    assert all(action in allowed for action in added), (where, added)


def files_under(folder: Path) -> dict[str, int]:
    """Every file below ``folder`` (relative path → size): an upload refused must leave none behind."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the answers --------------------------------------------------------------------------------------


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def assert_refused(response: Any, codes: str | tuple[str, ...] = ()) -> dict[str, Any]:
    """A JSON refusal: 4xx, ``{code, message}`` with a Chinese message and a code starting with one of
    ``codes`` (any code when empty). Returns the body."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:2000])
    body = response.json()
    assert isinstance(body, dict) and {"code", "message"} <= set(body), body
    wanted = (codes,) if isinstance(codes, str) else codes
    assert not wanted or body["code"].startswith(wanted), (body["code"], wanted)
    assert has_chinese(body["message"]), body
    return body


def assert_page_refused(response: Any) -> None:
    """A console form refused: 4xx, a page (or a JSON error from the core) in Chinese, no traceback."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:2000])
    assert has_chinese(response.text) and "Traceback" not in response.text, response.text[:2000]


@dataclass
class CliResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def assert_cli_refused(result: CliResult, returncode: int = 2) -> None:
    """A CLI refusal: the exit code (2: unusable input), a Chinese message on stderr, no traceback."""
    assert result.returncode == returncode, (result.args, result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and has_chinese(result.stderr), (result.args, result.stderr)


_MARK = "\x1ewuye-answer "


class WuyeProcess:
    """One ``wuye`` process that runs invocations (the arguments after ``wuye``) one at a time, each
    through the program's command tree with its error handling and exit codes, as the program would
    run it — without paying the program's start-up for every file. Between two invocations the test
    may look at the database. Anything a command lets escape comes back as its traceback, exit 1."""

    def __init__(self, env: dict[str, str]) -> None:
        import tempfile

        self._log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed by close())
        self._process = subprocess.Popen(
            [sys.executable, "-c", "from core.testing_mutations import _serve; _serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=env,
            text=True,
            cwd=PROJECT_ROOT,
        )

    def run(self, *args: str) -> CliResult:
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(list(args)) + "\n")
        process.stdin.flush()
        for line in process.stdout:
            if line.startswith(_MARK):
                code, out, err = json.loads(line[len(_MARK) :])
                return CliResult(list(args), code, out, err)
        self._log.seek(0)
        raise AssertionError(f"the wuye process ended ({process.wait()}):\n{self._log.read()}")

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._log.close()

    def __enter__(self) -> WuyeProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def wuye_batch(invocations: Sequence[Sequence[str]], env: dict[str, str]) -> list[CliResult]:
    """Each invocation run in turn in one :class:`WuyeProcess`."""
    with WuyeProcess(env) as process:
        return [process.run(*args) for args in invocations]


#: ``(name, content, result, rows before, process)``: checks a mutated file that was still valid and
#: was taken whole, and undoes it so the next file meets the same database.
TakenWhole = Callable[[str, bytes, CliResult, Rows, WuyeProcess], Awaitable[None]]


async def cli_refuses_or_takes_whole(
    runtime: Any,
    folder: Path,
    files: Mapping[str, bytes],
    command: Callable[[Path], Sequence[str]],
    *,
    taken_whole: TakenWhole,
    refused: Callable[[str, bytes, CliResult], None] | None = None,
) -> int:
    """Run ``wuye <command(path)>`` on each file, in one :class:`WuyeProcess` against the runtime's
    database. A named bad file must be refused — exit 2 in Chinese, no traceback, every row as it
    was; a mutated one (its name starts ``mutated-``) may still be a valid file, and exit 0: then
    ``taken_whole`` checks it and takes it back. ``refused`` checks a refusal further. Returns how
    many files were refused."""
    from core.testing import wuye_env

    env = wuye_env(runtime.settings.database_url, list(runtime.settings.extra_plugins))
    count = 0
    with WuyeProcess(env) as wuye:
        for name, content in files.items():
            path = folder / name
            path.write_bytes(content)
            before = await database_rows(runtime)
            result = wuye.run(*command(path))
            if name.startswith("mutated-") and result.returncode == 0:
                await taken_whole(name, content, result, before, wuye)
                continue
            assert_cli_refused(result)
            assert await database_rows(runtime) == before, name
            if refused is not None:
                refused(name, content, result)
            count += 1
    return count


def _serve() -> None:
    """The child of :class:`WuyeProcess`: an invocation per line on stdin, its outcome per line out."""
    import traceback

    from click.testing import CliRunner

    from core.cli.main import build_cli

    os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")
    out = sys.stdout
    runner = CliRunner()
    for line in sys.stdin:
        outcome = runner.invoke(build_cli(), json.loads(line), prog_name="wuye", catch_exceptions=True)
        stderr, code = outcome.stderr, outcome.exit_code
        if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
            assert outcome.exc_info is not None
            stderr += "".join(traceback.format_exception(*outcome.exc_info))
            code = 1
        out.write(_MARK + json.dumps([code, outcome.stdout, stderr]) + "\n")
        out.flush()
