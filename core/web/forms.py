"""Console forms that carry files, read so that a file too large still gets its form back.

A route that takes files from a console form says how large one may be: ``opt=upload_limit(bytes)``.
Its body is then read here — by the CSRF middleware, which needs the ``csrf_token`` field, or by the
handler, whichever comes first — instead of by Litestar's parser, whose size limit answers with a bare
413 before anything of the form is known. Text fields are kept (up to :data:`MAX_TEXT_BYTES`); a file
up to the limit is kept whole; a larger one is read and dropped, and its field named in
:func:`oversized_uploads`, so the handler answers with the form page again — the menu, the typed
text and a Chinese error beside the file field (HTTP 413) — rather than Litestar's error. A body
larger than the limit times :data:`DRAIN_FACTOR` is not read further. ``await request.form()`` then
returns what was read here.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState
from multipart import MultipartError, MultipartSegment, PushMultipartParser  # type: ignore[import-untyped]

from core.errors import BadRequest, WuyeError

OPT = "upload_limit"
MAX_TEXT_BYTES = 256 * 1024  #: all text fields of one form together
MAX_PARTS = 200
DRAIN_FACTOR = 4  #: a body past this many times the file limit (plus 1 MB) is not read to its end
_STATE = "wuye_oversized"


def upload_limit(limit: int, **opt: Any) -> dict[str, Any]:
    """A route's ``opt`` for a console form with files of at most ``limit`` bytes each."""
    return {**opt, OPT: limit}


def megabytes(limit: int) -> str:
    """``10485760`` → ``"10"`` (the words "文件不超过 10 MB" use it)."""
    value = limit / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


class UploadTooLarge(WuyeError):
    """A file of a console form is larger than its route allows: 413 ``upload_too_large``."""

    status_code = 413

    def __init__(self, limit: int) -> None:
        super().__init__("upload_too_large", mb=megabytes(limit))


def oversized_uploads(request: Request[Any, Any, Any]) -> list[str]:
    """The file fields of this request's form whose file was larger than the route's limit."""
    return list(request.scope.get("state", {}).get(_STATE, []))


def check_uploads(request: Request[Any, Any, Any]) -> None:
    """Raise :class:`UploadTooLarge` when a file of the form was over the route's limit."""
    if oversized_uploads(request):
        raise UploadTooLarge(request.route_handler.opt[OPT])


def route_upload_limit(request: Request[Any, Any, Any]) -> int | None:
    handler = request.scope.get("route_handler")
    limit = handler.opt.get(OPT) if handler is not None else None
    return int(limit) if limit else None


async def read_form(request: Request[Any, Any, Any]) -> Any:
    """The request's form: for a route with :func:`upload_limit`, read here (once); else Litestar's."""
    limit = route_upload_limit(request)
    content_type, options = request.content_type
    state = ScopeState.from_scope(request.scope)
    if limit is None or content_type != "multipart/form-data" or state.form is not Empty:
        return await request.form()
    boundary = options.get("boundary")
    if not boundary:
        raise BadRequest("invalid_form")
    fields, oversized = await _read_multipart(request, boundary.encode("latin-1"), limit)
    data: dict[str, Any] = {}
    for name, value in fields:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    state.form = data  # what request.form() returns from now on
    request.scope.setdefault("state", {})[_STATE] = oversized
    return await request.form()


async def _read_multipart(
    request: Request[Any, Any, Any], boundary: bytes, limit: int
) -> tuple[list[tuple[str, Any]], list[str]]:
    cap = limit * DRAIN_FACTOR + 1024 * 1024
    fields: list[tuple[str, Any]] = []
    oversized: list[str] = []
    segment: MultipartSegment | None = None
    buffer = bytearray()
    dropped = False
    text_bytes = 0
    received = 0

    def handle(event: Any) -> None:
        nonlocal segment, buffer, dropped, text_bytes
        if isinstance(event, MultipartSegment):
            if len(fields) + len(oversized) >= MAX_PARTS:
                raise BadRequest("invalid_form")
            segment, buffer, dropped = event, bytearray(), False
        elif event is None:
            assert segment is not None
            if segment.filename is not None:
                if dropped:
                    oversized.append(segment.name)
                elif segment.filename or buffer:
                    file = UploadFile(
                        segment.content_type or "application/octet-stream",
                        segment.filename,
                        file_data=bytes(buffer),
                    )
                    fields.append((segment.name, file))
            else:
                try:
                    fields.append((segment.name, buffer.decode("utf-8")))
                except UnicodeDecodeError:
                    raise BadRequest("invalid_form") from None
            segment = None
        elif segment is not None and isinstance(event, bytes | bytearray):
            if segment.filename is not None:
                if not dropped and len(buffer) + len(event) > limit:
                    dropped, buffer = True, bytearray()
                if not dropped:
                    buffer.extend(event)
            else:
                text_bytes += len(event)
                if text_bytes > MAX_TEXT_BYTES:
                    raise BadRequest("payload_too_large")
                buffer.extend(event)

    parser = PushMultipartParser(boundary, max_header_size=8192, max_header_count=16)
    try:
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                raise BadRequest("invalid_form")
            body = message.get("body", b"")
            chunk = bytes(body) if isinstance(body, bytes | bytearray) else b""
            received += len(chunk)
            if received > cap:  # not worth reading on: the file field being read is over its limit
                if segment is not None and segment.filename is not None:
                    oversized.append(segment.name)
                break
            if chunk:
                for event in parser.parse(chunk):
                    handle(event)
            if not message.get("more_body", False):
                for event in parser.parse(b""):
                    handle(event)
                break
    except MultipartError:
        raise BadRequest("invalid_form") from None
    request.is_connected = False
    return fields, oversized
