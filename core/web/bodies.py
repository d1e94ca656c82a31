"""Request bodies decoded into msgspec Structs, and their errors put into words.

A handler declares ``data: SomeIn`` (a ``msgspec.Struct`` from its plugin's ``schemas.py``); Litestar
decodes the body (in msgspec's lax mode: Litestar passes ``strict=False``, so ``"2"`` reads as 2 and
``1`` or ``"true"`` as true; a plugin's rules check what they need beyond the type), and OpenAPI shows
the shape. When the body is wrong, msgspec says so in
English (``Expected `bool`, got `str```, at ``rooms[0].let``): :func:`body_problem` turns that into a
:class:`BodyProblem` (the JSON path of the wrong field and what kind of wrong it is), the core answers
``validation_failed`` / ``invalid_json`` with the field in ``details``, and a plugin that has its own
error codes installs ``core.web.errors.body_error_handlers`` on its controller to answer with them instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litestar.exceptions import ClientException, SerializationException, ValidationException

from core.messages import BODY_PROBLEMS

#: msgspec's name of an expected type → the kind of problem (a key of ``BODY_PROBLEMS``).
_TYPE_KINDS = {
    "bool": "bool",
    "int": "int",
    "float": "number",
    "str": "str",
    "array": "array",
    "object": "object",
    "null": "null",
}
_EXPECTED = re.compile(r"^Expected `(?P<type>[^`]+)`(?P<rest>.*?)(?:, got `[^`]+`)?$")
_FIELD = re.compile(r"^Object (?P<what>missing required|contains unknown) field `(?P<name>[^`]+)`$")
#: (a length?, msgspec's operator) → kind; a length of at least 1 is "not empty".
_BOUND_KINDS = {
    (True, ">="): "too_short",
    (True, "<="): "too_long",
    (False, ">="): "too_small",
    (False, ">"): "above",
    (False, "<="): "too_large",
    (False, "<"): "below",
}
_BOUND = re.compile(r"^\s*(?:of length )?(?P<op>[<>]=?) (?P<n>-?\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class BodyProblem:
    """What is wrong with a request body: ``field`` is a JSON path (``$`` for the body itself, else
    ``flat.rooms[0].let``), ``kind`` a key of ``core.messages.BODY_PROBLEMS`` (``missing``, ``unknown``,
    ``bool``, ``int``, ``str``, ``array``, ``object``, ``number``, ``value``, ``too_long``, ``too_short``,
    ``too_small``, ``too_large``, ``json``, ``empty``), ``bound`` the limit a ``too_*`` kind broke."""

    field: str
    kind: str
    bound: str = ""

    @property
    def words(self) -> str:
        """The problem in Chinese (``应为 true 或 false``, ``长度不能超过 200``)."""
        return BODY_PROBLEMS[self.kind].format(bound=self.bound)


def _join(base: str, name: str) -> str:
    return name if base in ("", "$") else f"{base}.{name}"


def _problem_of(message: str, key: str) -> BodyProblem:
    base = "$" if key in ("", "data") else key
    if field := _FIELD.match(message):
        kind = "missing" if field["what"].startswith("missing") else "unknown"
        return BodyProblem(_join(base, field["name"]), kind)
    if expected := _EXPECTED.match(message):
        types = [t.strip() for t in expected["type"].split("|")]
        rest = expected["rest"].strip()
        if bound := _BOUND.match(rest):
            length = "length" in rest
            if length and bound["op"] == ">=" and bound["n"] == "1":
                return BodyProblem(base, "empty_value")
            return BodyProblem(base, _BOUND_KINDS.get((length, bound["op"]), "value"), bound["n"])
        if rest:  # "matching regex …", "that is a multiple of …"
            return BodyProblem(base, "value")
        kinds = [_TYPE_KINDS.get(t, "value") for t in types if t != "null"]
        return BodyProblem(base, kinds[0] if kinds else "value")
    if message.strip("'\"") == "data" and base == "$":
        return BodyProblem("$", "empty")
    return BodyProblem(base, "value")  # "Invalid enum value …", "Invalid RFC3339 …" and the like


def body_problem(exc: Exception) -> BodyProblem | None:
    """The problem with the request body that ``exc`` reports, or ``None`` when ``exc`` is about
    something else (a path or query parameter, a dependency)."""
    if isinstance(exc, ValidationException):
        extra = exc.extra if isinstance(exc.extra, list) else []
        for item in extra:
            if isinstance(item, dict) and item.get("source", "body") == "body":
                return _problem_of(str(item.get("message", "")), str(item.get("key", "")))
        return None
    if isinstance(exc, ClientException) and isinstance(exc.__cause__, SerializationException):
        return BodyProblem("$", "json")
    return None
