"""Files the platform hands to a browser to save: official documents, packages, attachments."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Response

from core.web.security import DOWNLOAD_POLICY

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"


def download(content: bytes, filename: str, media_type: str, *, private: bool = True) -> Response[bytes]:
    """``content`` saved as ``filename``: the name in RFC 5987 form, so Chinese names survive every
    browser; ``private`` (documents with personal data, the default): no browser or proxy keeps a copy."""
    headers = {
        "content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "content-security-policy": DOWNLOAD_POLICY,
    }
    if private:
        headers["cache-control"] = "no-store"
    return Response(content=content, media_type=media_type, headers=headers)


#: The types an attachment is served as when its bytes show it is one (magic numbers): pictures a
#: browser shows safely, and PDF. Anything else — whatever the uploader claimed — is octet-stream.
_SNIFFED = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


#: What an attachment may be served as (:func:`attachment`). A handler serving one declares
#: ``media_type=ATTACHMENT`` and the OpenAPI document lists them all (``core.web.openapi``).
ATTACHMENT = "application/octet-stream"
ATTACHMENT_TYPES = (*dict.fromkeys(media for _, media in _SNIFFED), "image/webp", ATTACHMENT)


def sniffed_type(content: bytes) -> str:
    """The media type the server itself sees in ``content`` (never the uploader's word)."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    for magic, media_type in _SNIFFED:
        if content.startswith(magic):
            return media_type
    return "application/octet-stream"


def attachment(content: bytes, filename: str) -> Response[bytes]:
    """An uploaded file handed back: typed by what its bytes are (:func:`sniffed_type`), always as a
    download (``Content-Disposition: attachment``), ``nosniff``, and sandboxed should a browser show
    it anyway — an uploaded ``text/html`` or SVG never runs in the platform's origin."""
    return download(content, filename or "attachment", sniffed_type(content))
