"""Domain events: how one duty tells others something happened without importing them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pluggy

    from core.districts import DistrictInfo as District

log = logging.getLogger("wuye.events")


@dataclass(frozen=True)
class Event:
    """Something that happened. ``name`` is ``"<plugin>.<what>"``, e.g. ``"core.plugin_enabled"``."""

    name: str
    actor: str
    payload: dict[str, Any] = field(default_factory=dict)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


async def emit(pm: pluggy.PluginManager, district: District | None, event: Event) -> None:
    """Deliver ``event`` to the plugins enabled for ``district`` (all plugins when it is None)."""
    from core.plugins import await_me_maybe, hooks_for

    hook = (await hooks_for(pm, district)).on_event if district is not None else pm.hook.on_event
    for result in hook(district=district, event=event):
        try:
            await await_me_maybe(result)
        except Exception:  # a listener's failure must not undo the emitter's committed action
            log.exception("on_event listener failed for %s", event.name)
