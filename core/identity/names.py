"""What people read for an actor label of the audit log: a staff member's name, never
``staff:3:demo`` or ``cli:root``.

Labels are written by :attr:`core.identity.auth.Actor.label` (``staff:{id}:{username}``), the
command line (``cli:{user}``) and the demo (``demo:{name}``); anything else (a name typed by an
officer, such as the scrutineer's) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.data.tables import Staff
from core.messages import MESSAGES


def _staff_id(label: str) -> int | None:
    parts = label.split(":", 2)
    if len(parts) == 3 and parts[0] == "staff" and parts[1].isdigit():
        return int(parts[1])
    return None


async def people_names(labels: Iterable[str]) -> dict[str, str]:
    """``{label: words}`` for every label (one query for the staff among them)."""
    wanted = {label for label in labels if label}
    ids = {i for i in map(_staff_id, wanted) if i is not None}
    names: dict[int, str] = {}
    if ids:
        rows = await Staff.select(Staff.id, Staff.display_name, Staff.username).where(
            Staff.id.is_in(sorted(ids))
        )
        names = {int(r["id"]): r["display_name"] or r["username"] for r in rows}
    found = {}
    for label in wanted:
        sid = _staff_id(label)
        if sid is not None:
            found[label] = names.get(sid, label.rsplit(":", 1)[-1])
        elif label.startswith("cli:"):
            found[label] = MESSAGES["actor_cli"]
        elif label.startswith("demo:"):
            found[label] = MESSAGES["actor_demo"].format(name=label[5:])
        else:
            found[label] = label
    return found


async def people_name(label: str) -> str:
    return (await people_names([label])).get(label, label) if label else ""
