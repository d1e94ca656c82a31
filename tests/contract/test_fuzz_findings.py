"""What the API fuzz (test_api_fuzz.py) found, each pinned down: these answered 500 before.

* A multipart form whose text field is not UTF-8 (a file sent without a file name is a
  text field): Litestar's form parser raised ``UnicodeDecodeError`` — in the CSRF check when a cookie
  came along, in the body's decoding otherwise. Now 400 ``invalid_form``.
* JSON nested deeper than msgspec decodes: ``RecursionError``. Now 400 ``json_too_deep``.
* A register upload with no file in the form: the bare ``UploadFile`` parameter made Litestar raise
  ``StopIteration``. Now 400 ``voting_register_empty``, the register untouched.
"""

from __future__ import annotations

import pytest

from core.district_services import add_district, add_estate, switch_plugin
from core.identity.auth import create_api_token
from core.testing import login
from tests.plugins.voting.conftest import register_csv

BOUNDARY = "fuzzfuzzfuzz"


def multipart(*parts: tuple[bytes, bytes]) -> bytes:
    """A multipart body of raw (disposition, value) parts, bytes as they are (not necessarily UTF-8)."""
    body = b""
    for disposition, value in parts:
        body += f"--{BOUNDARY}\r\n".encode() + b"Content-Disposition: form-data; " + disposition
        body += b"\r\n\r\n" + value + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


HEADERS = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
UNDECODABLE = [
    multipart((b'name="data"', PNG)),  # a file without a file name: a text field of PNG bytes
    multipart((b'name="letter_no"', b"\xff\xfe\xfd")),
    multipart((b'name="ok"', b"1"), (b'name="caption"', "说明".encode("gbk"))),
]
#: A field name that is not UTF-8 was already refused by Litestar (400 bad_request).
NOT_UTF8_NAME = multipart((b'name="\xb5\xf2\xb7"', b"x"))


@pytest.fixture
async def estate(db):
    district = await add_district(db, "test", "alpha", "甲街道")
    await add_estate(db, "test", district, "E1", "示范花园")
    for plugin in ("voting", "group_rental"):
        await switch_plugin(db, "test", district, plugin, True)
    return district


@pytest.fixture
async def officer(db, estate, staff_factory):
    staff_id = await staff_factory("officer_a", "district_officer", "alpha")
    return {"authorization": f"Bearer {await create_api_token(staff_id)}"}


@pytest.mark.parametrize("body", UNDECODABLE)
@pytest.mark.parametrize(
    "path",
    [
        "/d/alpha/voting/estates/E1/register",
        "/d/alpha/voting/meetings/m/count-sheet",
        "/d/alpha/group_rental/cases/c/photos",
    ],
)
async def test_an_undecodable_form_is_a_400_with_a_token(db, client, officer, path, body):
    response = await client.post(path, content=body, headers={**HEADERS, **officer})
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "invalid_form" and response.json()["message"]
    name = await client.post(path, content=NOT_UTF8_NAME, headers={**HEADERS, **officer})
    assert name.status_code == 400 and name.json()["code"] in {"bad_request", "invalid_form"}


@pytest.mark.parametrize("body", UNDECODABLE)
async def test_an_undecodable_form_is_a_400_with_a_session_cookie(db, client, estate, staff_factory, body):
    """With a cookie the CSRF check reads the form first (where the error surfaced)."""
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    for headers in ({}, {"x-csrf-token": csrf}):
        response = await client.post(
            "/d/alpha/voting/estates/E1/register", content=body, headers={**HEADERS, **headers}
        )
        assert response.status_code == 400 and response.json()["code"] == "invalid_form", response.text


async def test_a_register_upload_without_a_file_is_refused_and_the_register_kept(db, client, officer):
    from plugins.voting.tables import VotingUnit

    url = "/d/alpha/voting/estates/E1/register"
    good = await client.post(url, files={"data": ("r.csv", register_csv(), "text/csv")}, headers=officer)
    assert good.status_code == 201
    for body in (multipart((b'name="other"', b"1")), multipart((b'name="data"; filename=""', b""))):
        response = await client.post(url, content=body, headers={**HEADERS, **officer})
        assert response.status_code in (400, 422), response.text
        assert response.json()["code"].startswith("voting_register_"), response.text
    assert await VotingUnit.count() == 7


@pytest.mark.parametrize(
    "path", ["/api/districts", "/d/alpha/voting/estates/E1/meetings", "/v/unknown-meeting/ballots"]
)
async def test_json_nested_too_deep_is_a_400(db, client, officer, path):
    """msgspec gives up on ``[[[[…]]]]`` 20,000 deep (60 KB) with RecursionError: it was a 500."""
    for body in (b"[" * 20000 + b"]" * 20000, b'{"a":' * 20000 + b"1" + b"}" * 20000):
        response = await client.post(
            path, content=body, headers={"content-type": "application/json", **officer}
        )
        assert response.status_code in (400, 404), response.text  # 404: no such meeting, found first
        if response.status_code == 400:
            assert response.json()["code"] == "json_too_deep", response.text
