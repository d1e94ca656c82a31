"""wuye core: the public API for plugin authors.

Import what a plugin needs from here and nowhere deeper::

    from core import hookimpl, district_router, Jurisdiction, MenuItem
"""

from __future__ import annotations

import pluggy

hookimpl = pluggy.HookimplMarker("wuye")

from core.errors import BadRequest, Conflict, Forbidden, Invalid, NotFound, WuyeError  # noqa: E402
from core.events import Event  # noqa: E402
from core.jurisdiction import Deadline, Jurisdiction, Rule, Source, Threshold  # noqa: E402
from core.menu import MenuItem  # noqa: E402


def __getattr__(name: str):  # lazy: importing core must not pull in the web stack
    if name == "district_router":
        from core.routing import district_router

        return district_router
    raise AttributeError(name)


__all__ = [
    "BadRequest",
    "Conflict",
    "Deadline",
    "Event",
    "Forbidden",
    "Invalid",
    "Jurisdiction",
    "MenuItem",
    "NotFound",
    "Rule",
    "Source",
    "Threshold",
    "WuyeError",
    "district_router",
    "hookimpl",
]
