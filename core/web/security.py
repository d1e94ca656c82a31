"""The headers every answer carries so a browser holds the pages to what they are.

* ``Content-Security-Policy``: scripts only from this server's ``/static/`` files (no inline script, no
  ``eval``), nothing may frame a page (``frame-ancestors 'none'``), forms post only here. Inline
  styles stay allowed: CSS cannot run script, and the pages use a few ``style`` attributes.
* ``X-Content-Type-Options: nosniff`` and ``X-Frame-Options: DENY`` (for browsers without CSP 2).
* ``Referrer-Policy``: ``no-referrer`` on the owners' pages (the ballot page holds the voting
  credential in its URL fragment; the verification page names a meeting), ``same-origin`` elsewhere.
* ``Strict-Transport-Security`` when the installation runs behind HTTPS (``WUYE_COOKIE_SECURE=1``).
* ``Cache-Control: no-store`` on every answer but the static files and the public verification pages
  (:data:`CACHEABLE_PATHS`): the console, the API and the owners' ballot pages show personal data
  (names, ID numbers, a voter's sheet), which no browser or proxy may keep — after logout the Back
  button must not show them again.

A handler may set its own value of any of these (an attachment download sets a stricter CSP); the
hook adds only what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from urllib.parse import unquote_plus

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from core.errors import BadRequest

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: What a downloaded file (an attachment, a document) may do if a browser shows it anyway: nothing.
DOWNLOAD_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"
#: Paths an owner opens from a paper ballot or a published record: no referrer ever leaves them.
OWNER_PATHS = ("/v/", "/verify")
HSTS = "max-age=31536000; includeSubDomains"
#: Public answers that a browser may keep: the pages' scripts and the published verification record.
CACHEABLE_PATHS = ("/static/", "/verify")


def security_headers(path: str, *, https: bool) -> list[tuple[bytes, bytes]]:
    """The security headers for an answer to ``path``."""
    referrer = "no-referrer" if path.startswith(OWNER_PATHS) else "same-origin"
    headers = [
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", referrer.encode()),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if https:
        headers.append((b"strict-transport-security", HSTS.encode()))
    if not path.startswith(CACHEABLE_PATHS):
        headers.append((b"cache-control", b"no-store"))
    return headers


def security_headers_hook(https: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """A Litestar ``before_send`` hook adding :func:`security_headers` to every HTTP answer that does
    not set them itself: pages, API answers, static files and the app's own 404 and 405 answers
    (a middleware would miss the answers given before a route is found)."""

    async def before_send(message: Message, scope: Scope) -> None:
        if scope["type"] != ScopeType.HTTP or message["type"] != "http.response.start":
            return
        headers = list(message.get("headers", []))
        present = {bytes(name).lower() for name, _ in headers}
        headers.extend(h for h in security_headers(scope["path"], https=https) if h[0] not in present)
        message["headers"] = headers

    return before_send


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: A control character escaped in JSON (``\u0000``), not preceded by an odd number of backslashes.
_JSON_CONTROL = re.compile(rb"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")
_CHECKED_BODIES = ("application/json", "application/x-www-form-urlencoded")
_BOUNDARY = re.compile(r'boundary=("[^"]+"|[^;\s]+)', re.IGNORECASE)


def _checked_multipart(receive: Receive, boundary: str) -> Receive:
    """``receive`` for a multipart body: the chunks pass through as the application reads them (within
    its own size limit), and the last one raises 400 ``control_characters`` when a text field of the
    whole body holds a control character."""
    body = bytearray()
    delimiter = b"--" + boundary.encode("latin-1")

    async def checked() -> ReceiveMessage:
        message = await receive()
        if message["type"] == "http.request":
            body.extend(message.get("body", b""))
            if not message.get("more_body", False) and _text_field_control(bytes(body), delimiter):
                raise BadRequest("control_characters")
        return message

    return checked


def _text_field_control(body: bytes, delimiter: bytes) -> bool:
    for part in body.split(delimiter):
        head, blank, value = part.partition(b"\r\n\r\n")
        if (
            blank
            and b"filename=" not in head.lower()
            and _CONTROL.search(value[:-2].decode("utf-8", "replace"))
        ):
            return True
    return False


class ControlCharacterMiddleware:
    """Refuses (400 ``control_characters``) a request whose path, query, JSON body or form fields hold
    a control character other than tab and line breaks (``/v/%00/info``, ``{"name": "a\\u0000"}``):
    no page or record is named so, PostgreSQL cannot even store a NUL in text, and SQLite would keep
    it invisibly. In a multipart body the text fields are checked as the application reads the body
    (a caption sent with a photo); the files are checked where they are read (``core.data.tabular``,
    ``core.data.imports.Upload`` for their names).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        query = unquote_plus(scope.get("query_string", b"").decode("latin-1"))
        if _CONTROL.search(scope["path"]) or _CONTROL.search(query):
            raise BadRequest("control_characters")
        raw_type = dict(scope.get("headers", [])).get(b"content-type", b"").decode("latin-1")
        content_type = raw_type.lower()
        # the boundary as sent: it is compared with the body byte for byte (browsers mix the case)
        boundary = _BOUNDARY.search(raw_type) if content_type.startswith("multipart/form-data") else None
        if boundary:
            await self.app(scope, _checked_multipart(receive, boundary.group(1).strip('"')), send)
            return
        if not content_type.startswith(_CHECKED_BODIES):
            await self.app(scope, receive, send)
            return
        messages: list[ReceiveMessage] = []
        body = bytearray()
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False) or len(body) > 4 * 1024 * 1024:
                break
        if content_type.startswith("application/json"):
            if _JSON_CONTROL.search(body) or _CONTROL.search(body.decode("utf-8", "replace")):
                raise BadRequest("control_characters")
        elif _CONTROL.search(unquote_plus(body.decode("latin-1"))):
            raise BadRequest("control_characters")

        async def replay() -> ReceiveMessage:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)
