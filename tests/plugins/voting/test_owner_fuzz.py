"""The owners' endpoints (no login: ``/v/…`` and ``/verify/…``) under garbage: malformed JSON, huge
bodies, wrong types, deep nesting and odd Unicode (lone surrogates, RTL marks, NUL, emoji), in the
body and in the path. Every answer is a 4xx ``{"code", "message"}`` in JSON — never a 5xx — and not
a row is written (ballots, audit log).

Hypothesis draws the inputs (derandomised, so a failure repeats); the requests go to the app of the
``client`` fixture on both databases."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.data.tables import AuditEntry
from plugins.voting.tables import VotingBallot, VotingCredential
from tests.plugins.voting.conftest import make_ballot, signed

#: Characters that break naive code: NUL and other controls, lone surrogates, RTL/LTR overrides and
#: marks, zero-width joiners, a BOM, emoji (astral plane), combining marks, CJK, quotes and backslash.
ODD = (
    "\x00\x01\x1b\x7f\ud800\udbff\udc00\udfff\u202e\u202d\u200f\u200e\u2066\u2069\u200d\ufeff\ufffe"
    "😀👨‍👩‍👧🇨🇳\U0010ffff\u0301\u0645\u05d0表决票\"\\/'<>&%{}[]"
)
odd_text = st.text(alphabet=st.sampled_from(ODD) | st.characters(), max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4),
    max_leaves=12,
)


def drawn(strategy: st.SearchStrategy[Any], n: int) -> list[Any]:
    """``n`` examples of ``strategy``, the same ones every run."""
    found: list[Any] = []

    @settings(
        max_examples=n,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


def as_json(value: Any) -> bytes:
    """JSON written raw (not escaped): a lone surrogate becomes bytes that are not UTF-8."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def encoded(value: Any) -> bytes:
    return json.dumps(value).encode()  # ensure_ascii: every odd character as a \\u escape


def mangled(body: bytes, cut: int, junk: bytes) -> bytes:
    """Valid JSON broken: cut short and something stuck in."""
    cut = cut % (len(body) + 1)
    return body[:cut] + junk + body[cut + len(junk) :]


async def rows() -> tuple[int, int, int]:
    return await VotingBallot.count(), await AuditEntry.count(), await VotingCredential.count()


def refused(response: Any) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict) and set(body) <= {"code", "message", "details"}, body
    assert body["code"] and body["message"], body


POSTS = ("/v/{m}/ballots", "/verify/{m}/receipt", "/verify/{m}/receipt-qr")


async def test_garbage_bodies_to_the_owner_endpoints_are_4xx_and_write_nothing(db, client, open_meeting):
    meeting = open_meeting["id"]
    seed = open_meeting["seeds"][0]
    good = signed(open_meeting, seed, make_ballot(open_meeting, seed))
    good_bytes = encoded(good)
    bodies: list[bytes] = []
    bodies += [encoded(v) for v in drawn(json_values, 60)]  # wrong types, any shape
    bodies += [
        as_json({"ballot": v, "signature": s}) for v, s in drawn(st.tuples(json_values, json_values), 40)
    ]
    bodies += [  # the right shape, odd text in every field of the ballot
        encoded({"ballot": {**good["ballot"], key: text}, "signature": good["signature"]})
        for key, text in drawn(st.tuples(st.sampled_from(sorted(good["ballot"])), odd_text), 30)
    ]
    bodies += [
        mangled(good_bytes, cut, junk)
        for cut, junk in drawn(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)), 40)
    ]
    bodies += drawn(st.binary(max_size=200), 20)  # not JSON at all
    bodies += [
        b"",
        b"null",
        b"[]",
        b'"\\ud800"',
        b'{"ballot": {}, "signature": "\\udfff"}',
        b'{"ballot_hash": "\\ud800\\u0000"}',
        b'{"link": "#r=\\u202e"}',
        b"[" * 20000 + b"]" * 20000,  # deep nesting within the size limits
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
        b"\xef\xbb\xbf" + good_bytes,  # a BOM
        good_bytes.replace(b'"', b"'"),
    ]
    before = await rows()
    for template in POSTS:
        url = template.format(m=meeting)
        for body in bodies:
            for content_type in ("application/json", "text/plain"):
                response = await client.post(url, content=body, headers={"content-type": content_type})
                if response.status_code == 200 and template.startswith("/verify"):
                    continue  # a well-formed receipt check of a made-up hash: an honest answer
                refused(response)
    assert await rows() == before


@pytest.mark.parametrize("template", POSTS)
async def test_a_huge_body_is_413_before_it_is_read(db, client, open_meeting, template):
    before = await rows()
    for size in (70 * 1024, 3 * 1024 * 1024, 5 * 1024 * 1024):
        body = b'{"ballot": "' + b"x" * size + b'"}'
        response = await client.post(
            template.format(m=open_meeting["id"]), content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413, (size, response.status_code)
        refused(response)
    assert await rows() == before


async def test_odd_paths_to_the_owner_endpoints_are_4xx(db, client, open_meeting):
    meeting = open_meeting["id"]
    before = await rows()
    # (a literal ".." the client itself resolves before sending: the encoded one reaches the server)
    segments = [*drawn(odd_text.filter(bool), 60), "%00", "%2e%2e", "%2F", "%25", "a" * 5000, "\u202e" * 40]
    for segment in segments:
        part = segment if segment.startswith("%") else quote(segment, safe="")
        for url in (
            f"/v/{part}/info",
            f"/v/{meeting}/voters/{part}",
            f"/verify/{part}/result",
            f"/verify/{part}/bundle.zip",
            f"/v/{part}/ballots",
        ):
            method = "POST" if url.endswith("ballots") else "GET"
            response = await client.request(method, url, json={"ballot": {}, "signature": ""})
            refused(response)
    assert await rows() == before
