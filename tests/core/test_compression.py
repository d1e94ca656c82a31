"""Owners' pages and static files travel gzip-compressed; staff pages (CSRF tokens: BREACH) and packed
files do not."""

from __future__ import annotations

import gzip

from core.testing import login

GZIP = {"accept-encoding": "gzip"}


async def test_static_scripts_are_sent_compressed(db, client):
    response = await client.get("/static/voting/ballot.js", headers=GZIP)
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers.get("vary", "").lower()
    raw = await client.get("/static/voting/ballot.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert response.text == raw.text  # httpx decoded it: the same script
    async with client.stream("GET", "/static/voting/ballot.js", headers=GZIP) as streamed:
        wire = b"".join([chunk async for chunk in streamed.aiter_raw()])  # as sent, not decoded
    assert len(wire) < len(raw.content) / 2 and gzip.decompress(wire) == raw.content
    # the security headers survive compression
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_staff_pages_are_not_compressed(db, client, staff_factory):
    await staff_factory("boss", "city_admin")
    await login(client, "boss")
    for url in ("/console", "/login"):
        response = await client.get(url, headers=GZIP)
        assert response.status_code == 200
        assert "content-encoding" not in response.headers, url


async def test_packed_files_are_not_compressed_again(db, client):
    response = await client.get("/verify/nope/bundle.zip", headers=GZIP)
    assert "content-encoding" not in response.headers
