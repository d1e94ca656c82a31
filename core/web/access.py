"""Who is asking: the staff member behind a request (session cookie or bearer token), and CSRF.

The actor is resolved once per request and kept in the connection state.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from core.errors import Forbidden, Unauthorized
from core.identity.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    CSRF_SEED_COOKIE,
    SESSION_COOKIE,
    Actor,
    csrf_matches,
    session_actor,
    token_actor,
)
from core.web.forms import read_form

_UNSET = object()
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


async def current_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    """The staff member making this request, or None."""
    cached = connection.scope.get("state", {}).get("wuye_actor", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    actor: Actor | None = None
    auth = connection.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        actor = await token_actor(auth[7:].strip())
        if actor is None:
            raise Unauthorized("bad_token")
    elif token := connection.cookies.get(SESSION_COOKIE):
        actor = await session_actor(token)
    connection.scope.setdefault("state", {})["wuye_actor"] = actor
    return actor


async def provide_actor(request: Request[Any, Any, Any]) -> Actor:
    """Dependency: the logged-in staff member, else 401."""
    actor = await current_actor(request)
    if actor is None:
        raise Unauthorized("not_authenticated")
    return actor


class CSRFMiddleware:
    """Refuses a state-changing request that rides on a cookie without the matching CSRF token.

    A request with no wuye cookie is exempt: it carries no ambient credential (it is anonymous, or
    authenticates with a bearer token alone, which a third-party page cannot make a browser send).
    A request that carries a cookie is checked whatever its ``Authorization`` header says: only a
    valid token without a cookie is exempt, never a header that merely says ``Basic`` or ``Bearer``.
    The CSRF token comes from the ``X-CSRF-Token`` header or the ``csrf_token`` form field and is an
    HMAC of the session cookie (or, before login, of the ``wuye_csrf`` seed cookie).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        handler = scope.get("route_handler")
        if handler is not None and handler.opt.get("csrf_exempt"):
            await self.app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = Request(scope, receive)
        secret = request.cookies.get(SESSION_COOKIE) or request.cookies.get(CSRF_SEED_COOKIE)
        if secret is None:  # no ambient credential: anonymous, or a bearer token and nothing else
            await self.app(scope, receive, send)
            return
        supplied = request.headers.get(CSRF_HEADER)
        if not supplied and request.content_type[0] in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            form = await read_form(request)  # a route with files of a limited size: core.web.forms
            supplied = form.get(CSRF_FIELD)
        if not csrf_matches(secret, supplied if isinstance(supplied, str) else None):
            raise Forbidden("csrf_failed")
        await self.app(scope, receive, send)
