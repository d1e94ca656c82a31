"""Files the platform hands to a browser to save: official documents, packages, attachments."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"


def download(content: bytes, filename: str, media_type: str, *, private: bool = True) -> Response[bytes]:
    """``content`` saved as ``filename``: the name in RFC 5987 form, so Chinese names survive every
    browser; ``private`` (documents with personal data, the default): no browser or proxy keeps a copy."""
    headers = {"content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    if private:
        headers["cache-control"] = "no-store"
    return Response(content=content, media_type=media_type, headers=headers)
