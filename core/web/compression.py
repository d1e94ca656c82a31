"""Which answers are sent gzip-compressed: the owners' pages and every static file.

An owner on a phone in a basement opens the ballot page over a weak mobile connection, so its HTML,
scripts and JSON travel compressed (docs/plugins/voting.md: the page's weight budget). Staff pages are
not compressed: they carry the CSRF token beside text a request can reflect, which compression would
expose to a length-measuring attacker (BREACH). Documents and archives are compressed already.
"""

from __future__ import annotations

from litestar.config.compression import CompressionConfig
from litestar.middleware.compression import CompressionMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

#: Paths compressed: owners' pages (/v/…, /verify…) and static files.
COMPRESSED = ("/static/", "/v/", "/verify")
#: ... but never files that are compressed already.
PACKED = r"\.(?:zip|docx|xlsx|png|jpe?g|gif|webp|pdf)$"
CONFIG = CompressionConfig(backend="gzip", gzip_compress_level=9, minimum_size=512, exclude=PACKED)


class OwnerPageCompression:
    """Litestar's gzip middleware, for the paths in :data:`COMPRESSED` only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.compressed = CompressionMiddleware(app, CONFIG)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(COMPRESSED):
            await self.compressed(scope, receive, send)
        else:
            await self.app(scope, receive, send)
