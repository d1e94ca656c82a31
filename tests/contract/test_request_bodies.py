"""Every JSON body the group_rental and housing_check APIs read is a Struct that the handler declares
(``data: …In``), so the OpenAPI schema shows its shape. A handler that went back to reading
``request.body()`` by hand has no requestBody in the schema and fails here."""

from __future__ import annotations

from typing import Any

PLUGINS = ("group_rental", "housing_check")
WRITES = ("post", "put", "patch")
#: The writes that take no JSON body: files in a multipart form, or nothing at all.
NO_JSON_BODY = {
    "GroupRentalAddPhoto": "multipart/form-data",
    "HousingCheckImportEntrustment": "multipart/form-data",  # the list as a file, with the letter
    "HousingCheckAttach": "multipart/form-data",  # an attachment
    "HousingCheckIssueReport": None,  # no body: the report is built from what is on file
}


def body_schema(schema: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    """The Struct a JSON operation's requestBody refers to (directly, or beside ``null`` where an
    empty body is allowed), as its component; ``None`` when there is none."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    body = content.get("schema", {})
    refs = [body.get("$ref")] + [choice.get("$ref") for choice in body.get("oneOf", body.get("anyOf", []))]
    names = [ref.rsplit("/", 1)[-1] for ref in refs if ref]
    return schema["components"]["schemas"][names[0]] if len(names) == 1 else None


def writes_of(schema: dict[str, Any], plugin: str) -> dict[str, dict[str, Any]]:
    """The plugin's JSON API writes (not its console's form posts), by operationId."""
    prefix = f"/d/{{district}}/{plugin}/"
    return {
        operation["operationId"]: operation
        for path, item in schema["paths"].items()
        if path.startswith(prefix) and "console" not in path.split("/")
        for method, operation in item.items()
        if method in WRITES
    }


async def test_every_json_write_shows_its_body_in_openapi(db, client):
    schema = (await client.get("/schema/openapi.json")).json()
    for plugin in PLUGINS:
        writes = writes_of(schema, plugin)
        json_writes = [name for name in writes if name not in NO_JSON_BODY]
        assert len(json_writes) >= 4, (plugin, sorted(writes))  # found the API at all
        for name in json_writes:
            component = body_schema(schema, writes[name])
            assert component is not None, f"{name}: no JSON requestBody (is the body read by hand?)"
            assert component["type"] == "object" and component["properties"], name
    every = {name for plugin in PLUGINS for name in writes_of(schema, plugin)}
    assert set(NO_JSON_BODY) <= every, "an exception above names an operation that is gone"
    for name, media in NO_JSON_BODY.items():
        operation = next(w[name] for plugin in PLUGINS if name in (w := writes_of(schema, plugin)))
        assert body_schema(schema, operation) is None, f"{name} has a JSON body now: drop it from the list"
        assert list(operation.get("requestBody", {}).get("content", {})) == ([media] if media else [])


async def test_the_group_rental_bodies_show_their_fields_and_limits(db, client):
    """The shapes are the rules' own: required fields, nested rooms, lengths and bounds."""
    components = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]
    flat = components["FlatIn"]
    assert set(flat["required"]) == {"collective_dormitory", "agency_managed", "rooms"}
    assert flat["properties"]["rooms"]["items"]["$ref"].endswith("RoomIn")
    assert (flat["properties"]["rooms"]["minItems"], flat["properties"]["rooms"]["maxItems"]) == (1, 60)
    occupants = components["RoomIn"]["properties"]["occupants"]
    assert (occupants["minimum"], occupants["maximum"]) == (0, 999)
    assert components["InspectionIn"]["properties"]["flat"]["$ref"].endswith("FlatIn")
    assert components["CaseIn"]["required"] == ["address"]
    assert components["OrderIn"]["required"] == [] and "addressee" in components["OrderIn"]["properties"]
