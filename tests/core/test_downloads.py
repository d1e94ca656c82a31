"""Uploaded files handed back never run in the platform's origin: typed by their bytes, always a
download, nosniff, sandboxed."""

from __future__ import annotations

import pytest
from litestar import Litestar, get
from litestar.testing import TestClient

from core import attachment
from core.web.security import security_headers_hook

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 30
FILES = {
    "html": b"<html><script>alert(1)</script></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "js": b"alert(document.cookie)",
    "png": PNG,
    "jpeg": b"\xff\xd8\xff\xe0" + b"\x00" * 30,
    "pdf": b"%PDF-1.7\n",
    "webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
}


@get("/a/{kind:str}")
async def serve(kind: str) -> object:
    return attachment(FILES[kind], f"照片-{kind}.{kind}")


@pytest.fixture(scope="module")
def client():
    with TestClient(Litestar([serve], before_send=[security_headers_hook(https=False)])) as c:
        yield c


@pytest.mark.parametrize(
    ("kind", "media_type"),
    [
        ("html", "application/octet-stream"),
        ("svg", "application/octet-stream"),
        ("js", "application/octet-stream"),
        ("png", "image/png"),
        ("jpeg", "image/jpeg"),
        ("pdf", "application/pdf"),
        ("webp", "image/webp"),
    ],
)
def test_an_attachment_is_typed_by_its_bytes_and_always_a_sandboxed_download(client, kind, media_type):
    response = client.get(f"/a/{kind}")
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.content == FILES[kind]
