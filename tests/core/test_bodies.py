"""Request bodies as msgspec Structs: every way a body can be wrong is answered 400 with the field's
JSON path and Chinese words, through the core's handlers or a plugin's own codes."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
import pytest
from litestar import Controller, Litestar, post
from litestar.testing import TestClient

from core import BadRequest, BodyProblem, body_error_handlers
from core.web.errors import EXCEPTION_HANDLERS


class RoomIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    let: bool
    occupants: Annotated[int, msgspec.Meta(ge=0)] = 0


class FlatIn(msgspec.Struct, forbid_unknown_fields=True):
    rooms: Annotated[list[RoomIn], msgspec.Meta(min_length=1)]
    area: Annotated[int, msgspec.Meta(gt=0)] = 1


@post("/core")
async def core_route(data: FlatIn) -> dict[str, Any]:
    return msgspec.to_builtins(data)


class OwnCodes(Controller):
    path = "/own"
    exception_handlers = body_error_handlers(
        lambda p: BadRequest("validation_failed", detail=f"自有：{p.field}/{p.kind}", details={"f": p.field})
    )

    @post("/")
    async def own(self, data: FlatIn) -> dict[str, Any]:
        return msgspec.to_builtins(data)


@pytest.fixture(scope="module")
def client():
    app = Litestar([core_route, OwnCodes], exception_handlers=EXCEPTION_HANDLERS)
    with TestClient(app) as c:
        yield c


ROOM = {"name": "主卧", "let": True}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"rooms": [{"name": "主卧", "let": "yes"}]}, "rooms[0].let", "应为 true 或 false"),
        ({"rooms": [{"name": "主卧"}]}, "rooms[0].let", "缺少此项"),
        ({"rooms": [{**ROOM, "extra": 1}]}, "rooms[0].extra", "未知的字段"),
        ({}, "rooms", "缺少此项"),
        ([1], "$", "应为 JSON 对象"),
        ({"rooms": "x"}, "rooms", "应为列表"),
        ({"rooms": []}, "rooms", "不能为空"),
        ({"rooms": [{**ROOM, "name": "长" * 21}]}, "rooms[0].name", "长度不能超过 20"),
        ({"rooms": [{**ROOM, "occupants": -1}]}, "rooms[0].occupants", "不能小于 0"),
        ({"rooms": [ROOM], "area": 0}, "area", "不能小于 1"),  # msgspec says gt=0 as >= 1
        ({"rooms": [{**ROOM, "occupants": "两"}]}, "rooms[0].occupants", "应为整数"),
    ],
)
def test_a_wrong_body_names_its_field_in_words(client, body, field, words):
    response = client.post("/core", json=body)
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["code"] == "validation_failed"
    assert answer["details"] == {"field": field}
    assert words in answer["message"]
    if field != "$":
        assert field in answer["message"]


@pytest.mark.parametrize("raw", [b"{not json", b'{"rooms": [', b"\xff\xfe"])
def test_malformed_json_is_invalid_json(client, raw):
    response = client.post("/core", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
    assert response.json()["details"] == {"field": "$"}


def test_an_empty_body_is_refused_in_words(client):
    response = client.post("/core", content=b"", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["details"] == {"field": "$"}
    assert "缺少请求内容" in response.json()["message"]


def test_litestar_converts_in_lax_mode(client):
    """Litestar hands msgspec strict=False: a number in a string is a number, 1 and "true" are true.
    The plugins' rules check what they need beyond the type."""
    answer = client.post("/core", json={"rooms": [{"name": "主卧", "let": 1, "occupants": "2"}]}).json()
    assert answer["rooms"][0]["let"] is True and answer["rooms"][0]["occupants"] == 2


def test_a_good_body_passes(client):
    assert client.post("/core", json={"rooms": [ROOM]}).json() == {
        "rooms": [{"name": "主卧", "let": True, "occupants": 0}],
        "area": 1,
    }


def test_a_plugin_answers_with_its_own_error(client):
    response = client.post("/own", json={"rooms": [{"name": "主卧", "let": "也许"}]})
    assert response.status_code == 400
    assert response.json()["message"].endswith("自有：rooms[0].let/bool")
    assert (
        client.post("/own", content=b"{", headers={"content-type": "application/json"})
        .json()["message"]
        .endswith("自有：$/json")
    )
    assert client.post("/own", json={"rooms": [ROOM]}).status_code == 201


def test_the_schema_shows_the_body(client):
    schema = client.get("/schema/openapi.json").json()
    body = schema["paths"]["/core"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("FlatIn")
    assert "rooms" in schema["components"]["schemas"]["FlatIn"]["properties"]


def test_problem_words_cover_every_kind():
    for kind in ("missing", "unknown", "bool", "int", "str", "array", "object", "json", "empty", "value"):
        assert BodyProblem("x", kind, "1").words
