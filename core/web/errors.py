"""Turning every error into ``{"code", "message"}`` (or a Chinese error page for a browser).

No input may produce a 500 with a stack trace: unexpected exceptions are logged and answered with
``internal_error``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    ClientException,
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
from core.web.bodies import BodyProblem, body_problem
from core.web.forms import megabytes

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


def error_response(
    request: Request[Any, Any, Any],
    status: int,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    if wants_html(request):
        if status == 401:
            return Redirect(f"/login?next={quote(request.url.path)}")
        return Template(
            template_name="core/error.html",
            context={"status": status, "code": body["code"], "message": body["message"]},
            status_code=status,
            headers=headers,
        )
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


def handle_wuye_error(request: Request[Any, Any, Any], exc: WuyeError) -> Response[Any]:
    return error_response(request, exc.status_code, exc.to_dict())


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        return handle_internal_error(request, exc)
    if (problem := body_problem(exc)) is not None:
        code = "invalid_json" if problem.kind == "json" else "validation_failed"
        return error_response(request, 400, body_error(code, problem))
    if isinstance(exc, ValidationException):
        body = {"code": "validation_failed", "message": message("validation_failed", detail="格式有误")}
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
    if status == 413 and (limit := _body_limit(request)):
        body = {"code": code, "message": message("payload_too_large_limit", mb=megabytes(limit))}
        return error_response(request, status, body, exc.headers)
    # The headers the exception carries: ``Allow`` on a 405 (RFC 9110), ``Retry-After`` and the like.
    return error_response(request, status, {"code": code, "message": message(code)}, exc.headers)


def _body_limit(request: Request[Any, Any, Any]) -> int | None:
    resolve = getattr(request.scope.get("route_handler"), "resolve_request_max_body_size", None)
    limit = resolve() if callable(resolve) else None
    return limit if isinstance(limit, int) else None


#: Database errors that mean "the client sent text the database cannot hold" (PostgreSQL refuses a
#: NUL in text): the request is refused, never answered with a 500; the transaction rolled back.
_TEXT_REFUSED = {"UntranslatableCharacterError", "CharacterNotInRepertoireError"}


def _refused_text(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__name__ in _TEXT_REFUSED:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _undecodable_form(exc: BaseException) -> bool:
    """A multipart form whose field name or text field is not UTF-8: Litestar's form parser raises
    ``UnicodeDecodeError`` (the client's bytes, not a fault of the server)."""
    if not isinstance(exc, UnicodeDecodeError):
        return False
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(_MULTIPART_PARSER):
            return True
        tb = tb.tb_next
    return False


_MULTIPART_PARSER = os.path.join("litestar", "_multipart.py")


def _too_deep(exc: BaseException) -> bool:
    """JSON nested deeper than msgspec decodes (``[[[[…]]]]`` within the size limit): msgspec raises
    ``RecursionError`` "… while deserializing an object" — the client's body, not a fault here."""
    return isinstance(exc, RecursionError) and "deserializ" in str(exc)


def handle_internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if _refused_text(exc):
        return error_response(
            request, 400, {"code": "control_characters", "message": message("control_characters")}
        )
    if _undecodable_form(exc):
        return error_response(request, 400, {"code": "invalid_form", "message": message("invalid_form")})
    if _too_deep(exc):
        return error_response(request, 400, {"code": "json_too_deep", "message": message("json_too_deep")})
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, {"code": "internal_error", "message": message("internal_error")})


def body_error(code: str, problem: BodyProblem) -> dict[str, Any]:
    """The core's answer to a wrong request body: the field's path in ``details``, in words in the
    message."""
    detail = problem.words if problem.field == "$" else f"字段 {problem.field} {problem.words}"
    return {"code": code, "message": message(code, detail=detail), "details": {"field": problem.field}}


def body_error_handlers(make_error: Callable[[BodyProblem], WuyeError]) -> dict[Any, Any]:
    """Exception handlers for a controller (or router) whose plugin answers a wrong request body with
    its own codes: ``make_error(problem)`` returns the plugin's error. Other client errors keep the
    core's answer.

    Example::

        class CasesController(Controller):
            exception_handlers = body_error_handlers(lambda p: FieldError(p.field, p.kind))
    """

    def handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
        problem = body_problem(exc)
        if problem is None:
            return handle_http_exception(request, exc)
        return handle_wuye_error(request, make_error(problem))

    return {ValidationException: handler, ClientException: handler}


EXCEPTION_HANDLERS: dict[Any, Any] = {
    WuyeError: handle_wuye_error,
    HTTPException: handle_http_exception,
    Exception: handle_internal_error,
}
