"""What people read for an actor label of the audit log — a person's name, never ``staff:3:demo``
or ``cli:root`` — on pages and in official documents alike.

Services record who did something as an audit label: ``staff:{id}:{username}`` for a console user
(:attr:`core.identity.auth.Actor.label`), ``cli:{user}`` for an operator at the command line,
``demo:{name}`` for the demo, a bare username for older rows. People read the account's display name
(``Staff.display_name``); an operator without an account reads as 系统管理员; a name typed by an
officer (the scrutineer's) is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.data.tables import Staff
from core.messages import DOCUMENT_PEOPLE

_STAFF = re.compile(r"^staff:(\d+):(.*)$")
_LABEL = re.compile(r"^[a-z]+:")


async def people_names(labels: Iterable[str | None]) -> dict[str, str]:
    """``{label: name}`` for every label (two queries at most, whatever their number)."""
    wanted = {(label or "").strip() for label in labels} - {""}
    ids = {int(m[1]) for m in map(_STAFF.match, wanted) if m}
    usernames = {t.split(":", 1)[1] for t in wanted if _LABEL.match(t) and not _STAFF.match(t)}
    by_id: dict[int, str] = {}
    by_username: dict[str, str] = {}
    if ids:
        rows = await Staff.select(Staff.id, Staff.display_name, Staff.username).where(
            Staff.id.is_in(sorted(ids))
        )
        by_id = {int(r["id"]): str(r["display_name"] or r["username"]) for r in rows}
    if usernames:
        rows = await Staff.select(Staff.username, Staff.display_name).where(
            Staff.username.is_in(sorted(usernames))
        )
        by_username = {str(r["username"]): str(r["display_name"]) for r in rows if r["display_name"]}
    found = {}
    for text in wanted:
        staff = _STAFF.match(text)
        if staff:
            found[text] = by_id.get(int(staff[1]), staff[2])
        elif _LABEL.match(text):
            username = text.split(":", 1)[1]
            fallback = username if not username.isascii() else DOCUMENT_PEOPLE["operator"]
            found[text] = by_username.get(username, fallback)
        else:
            found[text] = text
    return found


async def people_name(label: str | None) -> str:
    """The name to show for one label (see :func:`people_names`)."""
    text = (label or "").strip()
    return (await people_names([text])).get(text, "") if text else ""
