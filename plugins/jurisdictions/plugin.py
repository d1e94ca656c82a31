"""Registers the built-in jurisdiction profiles. Essential: the registry always has its default."""

from __future__ import annotations

from core import hookimpl
from core.jurisdiction import Jurisdiction
from plugins.jurisdictions.national import NATIONAL


@hookimpl
def register_jurisdictions() -> list[Jurisdiction]:
    return [NATIONAL]
