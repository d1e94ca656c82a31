"""The OpenAPI document at ``/schema/openapi.json``, made to say what the server actually does.

Litestar builds the document from the handlers' signatures; the core then corrects it for every
route, a plugin's included, so that a client generated from it (or a fuzzer checking answers against
it) is not misled:

* **Errors** are documented as they are sent: one ``Error`` component ``{code, message, details?}``
  on every operation — 400 and 404 everywhere, 401 and 403 where staff must log in, and ``4XX`` for
  the rest (409, 413, 422, 429, …) — in place of Litestar's ``{status_code, detail, extra}``, which
  the core never sends. Outside ``/api/`` and ``/-/`` a browser asking for HTML gets the same error
  as a Chinese page, so those operations list ``text/html`` beside JSON.
* **Pages are not API**: a handler that answers with a page (``Template``) or a redirect is left out
  (console controllers whose form posts answer either way set ``include_in_schema = False``).
* **Who may call**: an operation for staff lists the bearer token (``wuye staff token``) and the
  session cookie as its security; public ones (the owners' ``/v/…`` and ``/verify/…``, health) none.
* **Attachments**: a handler that declares ``media_type=ATTACHMENT`` serves ``core.attachment``,
  typed by the file's own bytes: its answer lists every type that can be (``ATTACHMENT_TYPES``).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from litestar import Litestar, Request
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.response import Redirect, Template
from litestar.routes import HTTPRoute

from core.identity.auth import SESSION_COOKIE
from core.web.downloads import ATTACHMENT, ATTACHMENT_TYPES
from core.web.routing import requires_district_access, requires_staff

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Error",
    "description": "每个错误的答复：code 供程序判断（稳定），message 为中文说明，details 视错误而定。",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "examples": ["not_found"]},
        "message": {"type": "string", "examples": ["未找到"]},
        "details": {"description": '错误的细节，如请求体中出错的字段 {"field": "rooms[0].let"}'},
    },
    "additionalProperties": False,
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
SECURITY_SCHEMES: dict[str, Any] = {
    "staffToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "工作人员的 API 令牌（wuye staff token USERNAME）",
    },
    "staffSession": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "登录后的会话（写操作另需 X-CSRF-Token）",
    },
}
STAFF_SECURITY: list[dict[str, list[str]]] = [{"staffToken": []}, {"staffSession": []}]
#: Paths whose errors are always JSON (``core.web.errors.wants_html``): no HTML error page there.
JSON_ONLY_PREFIXES = ("/api/", "/-/")
_DESCRIPTIONS = {
    "400": "请求有误（格式、字段、控制字符）",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作",
    "404": "未找到（或该区未启用此业务）",
    "4XX": "其他客户端错误（冲突 409、内容过大 413、不符合规则 422、请求过多 429 等）",
}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def is_page(handler: HTTPRouteHandler) -> bool:
    """A handler that answers with a page or a redirect to one: a console page, not API."""
    return handler.parsed_fn_signature.return_type.is_subclass_of((Template, Redirect))


def needs_staff(handler: HTTPRouteHandler) -> bool:
    """A handler that only a logged-in staff member reaches (an ``actor`` or ``reach`` parameter, or
    a guard that wants one)."""
    if {"actor", "reach"} & set(handler.parsed_fn_signature.parameters):
        return True
    guards = handler.resolve_guards()
    return requires_district_access in guards or requires_staff in guards


def handlers_by_operation(app: Litestar) -> dict[tuple[str, str], HTTPRouteHandler]:
    """(OpenAPI path, lower-case method) → the route handler answering it."""
    found: dict[tuple[str, str], HTTPRouteHandler] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                found[(route.path_format or "/", method.lower())] = handler
    return found


def _error_response(description: str, html: bool) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": ERROR_REF}}
    if html:
        content["text/html"] = {"schema": {"type": "string", "description": "中文错误页面（浏览器）"}}
    return {"description": description, "content": content}


def _error_statuses(staff: bool) -> Sequence[str]:
    return ("400", "401", "403", "404", "4XX") if staff else ("400", "404", "4XX")


def _correct_operation(path: str, operation: dict[str, Any], handler: HTTPRouteHandler | None) -> None:
    staff = handler is not None and needs_staff(handler)
    responses = operation.setdefault("responses", {})
    for status in [s for s in responses if s.startswith("4")]:
        del responses[status]  # Litestar's {status_code, detail}: never sent
    html = not path.startswith(JSON_ONLY_PREFIXES)
    for status in _error_statuses(staff):
        responses[status] = _error_response(_DESCRIPTIONS[status], html)
    if staff:
        operation["security"] = copy.deepcopy(STAFF_SECURITY)
    else:
        operation["security"] = []
    if handler is not None and handler.media_type == ATTACHMENT:
        for status, response in responses.items():
            if status.startswith("2"):
                binary = {"schema": {"type": "string", "format": "binary"}}
                response["content"] = {media: copy.deepcopy(binary) for media in ATTACHMENT_TYPES}


def truthful_schema(app: Litestar, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (Litestar's document, as a dict) corrected as the module says; a new dict."""
    document = copy.deepcopy(schema)
    handlers = handlers_by_operation(app)
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = copy.deepcopy(ERROR_SCHEMA)
    components["securitySchemes"] = copy.deepcopy(SECURITY_SCHEMES)
    paths: dict[str, Any] = document.get("paths", {})
    for path in list(paths):
        item = paths[path]
        for method in [m for m in item if m in METHODS]:
            handler = handlers.get((path, method))
            if handler is not None and is_page(handler):
                del item[method]
                continue
            _correct_operation(path, item[method], handler)
        if not any(m in item for m in METHODS):
            del paths[path]
    return document


class TruthfulJsonRenderPlugin(JsonRenderPlugin):
    """Serves ``/schema/openapi.json`` as :func:`truthful_schema` makes it (built once per app)."""

    def __init__(self) -> None:
        super().__init__()
        self._rendered: bytes | None = None

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        if self._rendered is None:  # one plugin per app (CorePlugin makes the config per app)
            self._rendered = self.render_json(request, truthful_schema(request.app, openapi_schema))
        return self._rendered
