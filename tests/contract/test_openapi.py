"""The OpenAPI document says what the server does (core/web/openapi.py): errors as they are sent,
pages left out, every body a route reads described, downloads typed, staff routes secured — and a
405 names the methods that are allowed. The fuzzer (test_api_fuzz.py) checks answers against it."""

from __future__ import annotations

from typing import Any

import pytest

from core.web.downloads import ATTACHMENT_TYPES, DOCX, ZIP

WRITES = ("post", "put", "patch", "delete")


async def openapi(client: Any) -> dict[str, Any]:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in ("get", *WRITES)
    }


async def test_errors_are_documented_as_sent(db, client):
    """Every operation's 4xx answers are the Error component {code, message, details?}; Litestar's
    {status_code, detail} is gone (the server never sends it)."""
    schema = await openapi(client)
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message"]
    assert set(error["properties"]) == {"code", "message", "details"} and not error["additionalProperties"]
    assert '"status_code"' not in (await client.get("/schema/openapi.json")).text
    ops = operations(schema)
    assert len(ops) > 50
    for name, (path, _, op) in ops.items():
        errors = {status: r for status, r in op["responses"].items() if status.startswith("4")}
        assert {"400", "404", "4XX"} <= set(errors), name
        for status, response in errors.items():
            assert response["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }, (name, status)
            assert ("text/html" in response["content"]) == (not path.startswith(("/api/", "/-/"))), name
    # what the server really answers has that shape
    missing = await client.get("/api/jurisdictions/none", headers={"authorization": "Bearer nonsense"})
    assert missing.status_code == 401 and set(missing.json()) == {"code", "message"}


async def test_staff_routes_declare_their_credentials_and_public_ones_none(db, client):
    schema = await openapi(client)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["staffToken"] == {**schemes["staffToken"], "type": "http", "scheme": "bearer"}
    assert schemes["staffSession"]["in"] == "cookie"
    for name, (path, _, op) in operations(schema).items():
        public = path.startswith(("/v/", "/verify/")) or path == "/-/health"
        assert (op["security"] == []) == public, name
        assert ({"401", "403"} <= set(op["responses"])) == (not public), name


async def test_pages_and_console_forms_are_not_in_the_api(db, client):
    """A page (HTML) or a form post (answered with a page or a redirect) is not API."""
    schema = await openapi(client)
    for name, (_, _, op) in operations(schema).items():
        for status, response in op["responses"].items():
            if status.startswith(("2", "3")):
                assert "text/html" not in response.get("content", {}), name
        assert not name.endswith(("Form", "Page")) and name not in {"VotingHome", "GroupRentalHome"}, name
    assert not [path for path in schema["paths"] if "/console" in path]


@pytest.mark.parametrize(
    ("operation", "media"),
    [
        ("VotingCastBallot", "application/json"),
        ("VotingCheckReceipt", "application/json"),
        ("VotingReceiptQr", "application/json"),
        ("HousingCheckImportEntrustment", "multipart/form-data"),
        ("HousingCheckAttach", "multipart/form-data"),
        ("VotingImportRegister", "multipart/form-data"),
    ],
)
async def test_every_route_that_reads_a_body_declares_it(db, client, operation, media):
    schema = await openapi(client)
    _, _, op = operations(schema)[operation]
    assert list(op["requestBody"]["content"]) == [media]
    ref = op["requestBody"]["content"][media]["schema"].get("$ref")
    if ref:
        assert schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"]


async def test_the_body_of_a_cast_and_a_receipt(db, client):
    components = (await openapi(client))["components"]["schemas"]
    assert components["CastIn"]["required"] == ["ballot", "signature"]
    assert set(components["ReceiptIn"]["properties"]) == {
        "receipt",
        "signature",
        "meeting_key",
        "link",
        "ballot_hash",
    }


async def test_downloads_are_typed_as_they_are_sent(db, client):
    ops = operations(await openapi(client))
    expected = {
        "VotingPrintBallots": [DOCX],
        "VotingNoticeDocument": [DOCX],
        "VotingDeliveryDocument": [DOCX],
        "VotingResultAnnouncement": [DOCX],
        "VotingBundle": [ZIP],
        "VotingReceiptQr": ["image/png"],
        "GroupRentalOrderDocument": [DOCX],
        "GroupRentalEscalate": [ZIP],
        "GroupRentalEscalationPackage": [ZIP],
        "HousingCheckReportDocument": [DOCX],
        "GroupRentalPhoto": list(ATTACHMENT_TYPES),
        "HousingCheckDownloadAttachment": list(ATTACHMENT_TYPES),
    }
    for name, media in expected.items():
        _, _, op = ops[name]
        success = next(r for status, r in op["responses"].items() if status.startswith("2"))
        assert list(success["content"]) == media, name
    assert {"image/jpeg", "application/pdf", "application/octet-stream"} <= set(ATTACHMENT_TYPES)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/-/health", {"GET"}),
        ("PUT", "/api/districts", {"GET", "POST"}),
        ("TRACE", "/v/some-meeting/info", {"GET"}),
        ("PATCH", "/verify/some-meeting/receipt", {"POST"}),
    ],
)
async def test_a_405_names_the_allowed_methods(db, client, method, path, allowed):
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": response.json()["message"]}
    assert allowed <= {m.strip() for m in response.headers["allow"].split(",")}
