"""Errors that reach users: a stable ``code`` for programs, a Chinese ``message`` for people.

Raise :class:`WuyeError` (or a subclass) anywhere below a controller or a CLI command; the app turns it
into ``HTTP 4xx {"code", "message"}`` and the CLI into a line on stderr with exit code 2.
"""

from __future__ import annotations

from typing import Any

from core.messages import message


class WuyeError(Exception):
    """A user-facing error. ``message`` defaults to the catalogue entry for ``code``."""

    status_code: int = 400

    def __init__(
        self,
        code: str,
        message_text: str | None = None,
        /,
        *,
        status_code: int | None = None,
        details: Any = None,
        **fmt: Any,
    ) -> None:
        self.code = code
        self.message = message_text if message_text is not None else message(code, **fmt)
        if status_code is not None:
            self.status_code = status_code
        self.details = details
        super().__init__(f"{code}: {self.message}")

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


class BadRequest(WuyeError):
    status_code = 400


class NotFound(WuyeError):
    status_code = 404


class Forbidden(WuyeError):
    status_code = 403


class Unauthorized(WuyeError):
    status_code = 401


class Conflict(WuyeError):
    status_code = 409


class Invalid(WuyeError):
    """Input that parsed but breaks a rule; ``details`` lists the problems."""

    status_code = 422


class ConfigError(WuyeError):
    """The installation's configuration cannot work (a setting names what does not exist): the CLI says
    so on stderr with exit code 2; the server refuses to start with the same message."""

    status_code = 500
