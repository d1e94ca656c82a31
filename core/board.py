"""The morning board (今日待办): what is due or overdue in a district across every duty.

Each duty answers the ``board_items`` hook with its deadlines as :class:`BoardItem` (what, which
object, due when, how urgent, where to act) for what the asking staff member may see, and may add
``board_panels`` (a chart of an open vote's turnout) rendered from its own template. The district's
home page shows the items, most urgent first, then the panels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.districts import DistrictInfo
from core.identity.auth import Actor
from core.jurisdiction import people_date
from core.plugins import await_me_maybe, hooks_for
from core.runtime import Runtime

#: How urgent an item is, most urgent first; the board's words for each.
LEVELS = ("overdue", "today", "soon", "later")
LEVEL_LABELS = {"overdue": "已逾期", "today": "今日到期", "soon": "即将到期", "later": "待办"}
#: Days ahead within which a deadline is "soon" (calendar days, or working days where the item says).
SOON_DAYS = 3


@dataclass(frozen=True)
class BoardItem:
    """One deadline on the board. ``level`` is one of :data:`LEVELS` (see :func:`level_for`)."""

    plugin: str  #: the duty's name
    duty: str  #: the duty's title, Chinese (住房状况核查)
    subject: str  #: which object, Chinese (委托 hc2026-…，甲街道住房保障实施机构)
    task: str  #: what is due, Chinese (出具核查结果报告)
    due_on: date | None
    level: str
    href: str  #: where to act
    detail: str = ""  #: how far along, Chinese (剩 2 个工作日；已送达 120/300)

    @property
    def due_words(self) -> str:
        return people_date(self.due_on) if self.due_on else "—"

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


@dataclass(frozen=True)
class BoardPanel:
    """A block of the board drawn by a duty's own template (``voting/turnout_panel.html``) with
    ``context``; ``order`` smaller first."""

    plugin: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


def level_for(due_on: date, today: date, *, days_left: int | None = None, soon: int = SOON_DAYS) -> str:
    """``overdue`` after ``due_on``, ``today`` on it, ``soon`` within ``soon`` days (``days_left``
    when the duty counts working days), else ``later``."""
    left = (due_on - today).days if days_left is None else days_left
    if due_on < today or left < 0:
        return "overdue"
    if due_on == today or left == 0:
        return "today"
    return "soon" if left <= soon else "later"


async def board_for(
    runtime: Runtime, district: DistrictInfo, actor: Actor, today: date
) -> tuple[list[BoardItem], list[BoardPanel]]:
    """Every enabled duty's items (most urgent first, then by due date) and panels."""
    hooks = await hooks_for(runtime.pm, district)
    items: list[BoardItem] = []
    for result in hooks.board_items(district=district, actor=actor, today=today, runtime=runtime):
        items.extend(await await_me_maybe(result) or ())
    panels: list[BoardPanel] = []
    for result in hooks.board_panels(district=district, actor=actor, runtime=runtime):
        panels.extend(await await_me_maybe(result) or ())
    items.sort(key=lambda i: (LEVELS.index(i.level), i.due_on or date.max, i.duty, i.subject))
    panels.sort(key=lambda p: (p.order, p.title))
    return items, panels
