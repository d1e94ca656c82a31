"""People in official documents: a person's name, never an audit label.

Services record who did something as an audit label (``staff:3:wang`` for a console user, ``cli:demo``
for an operator at the command line, a bare username for older rows). A document shows the person's
display name (``Staff.display_name``) instead; an operator without an account reads as 系统管理员.
"""

from __future__ import annotations

import re

from core.data.tables import Staff
from core.messages import DOCUMENT_PEOPLE

_STAFF = re.compile(r"^staff:(\d+):(.*)$")
_LABEL = re.compile(r"^[a-z]+:")


async def display_name(label: str | None) -> str:
    """The name to print for ``label`` (an audit label or a typed name, which is returned as is)."""
    text = (label or "").strip()
    if not text:
        return ""
    found = _STAFF.match(text)
    if found:
        row = await Staff.select(Staff.display_name, Staff.username).where(Staff.id == int(found[1])).first()
        return str(row["display_name"] or row["username"]) if row else found[2]
    if _LABEL.match(text):
        username = text.split(":", 1)[1]
        row = await Staff.select(Staff.display_name).where(Staff.username == username).first()
        if row and row["display_name"]:
            return str(row["display_name"])
        return username if not username.isascii() else DOCUMENT_PEOPLE["operator"]
    return text
