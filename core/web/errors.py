"""Turning every error into ``{"code", "message"}`` (or a Chinese error page for a browser).

No input may produce a 500 with a stack trace: unexpected exceptions are logged and answered with
``internal_error``.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect, Template

from core.errors import WuyeError
from core.messages import message

log = logging.getLogger("wuye.errors")

_STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def wants_html(request: Request[Any, Any, Any]) -> bool:
    if request.url.path.startswith(("/api/", "/-/", "/schema")):
        return False
    return "text/html" in request.headers.get("accept", "") and request.method in {"GET", "HEAD", "POST"}


def error_response(request: Request[Any, Any, Any], status: int, body: dict[str, Any]) -> Response[Any]:
    if wants_html(request):
        if status == 401:
            return Redirect(f"/login?next={quote(request.url.path)}")
        return Template(
            template_name="core/error.html",
            context={"status": status, "code": body["code"], "message": body["message"]},
            status_code=status,
        )
    return Response(content=body, status_code=status, media_type=MediaType.JSON)


def handle_wuye_error(request: Request[Any, Any, Any], exc: WuyeError) -> Response[Any]:
    return error_response(request, exc.status_code, exc.to_dict())


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        return handle_internal_error(request, exc)
    if isinstance(exc, ValidationException):
        detail = _validation_detail(exc)
        code = (
            "invalid_json"
            if "JSON" in str(exc.detail) or "decode" in str(exc.detail).lower()
            else "validation_failed"
        )
        body = {"code": code, "message": message(code, detail=detail)}
        if isinstance(exc.extra, list) and exc.extra:
            body["details"] = exc.extra
        return error_response(request, 400, body)
    if isinstance(exc, NotFoundException):
        code = "not_found"
    elif isinstance(exc, MethodNotAllowedException):
        code = "method_not_allowed"
    elif isinstance(exc, NotAuthorizedException):
        code = "not_authenticated"
    elif isinstance(exc, PermissionDeniedException):
        code = "forbidden"
    else:
        code = _STATUS_CODES.get(status, "bad_request")
    return error_response(request, status, {"code": code, "message": message(code)})


def handle_internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, {"code": "internal_error", "message": message("internal_error")})


def _validation_detail(exc: ValidationException) -> str:
    extra = exc.extra if isinstance(exc.extra, list) else []
    keys = [str(item.get("key")) for item in extra if isinstance(item, dict) and item.get("key")]
    if keys:
        return "字段 " + "、".join(keys) + " 有误"
    return "格式有误"


EXCEPTION_HANDLERS: dict[Any, Any] = {
    WuyeError: handle_wuye_error,
    HTTPException: handle_http_exception,
    Exception: handle_internal_error,
}
