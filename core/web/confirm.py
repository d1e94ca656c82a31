"""Two-step confirmation of a console form's irreversible action (and of a form that looks like a
duplicate), with or without JavaScript.

The first POST of such a form (without ``confirmed=1``) changes nothing: its handler answers with the
same page and a confirmation panel on top (``core/_confirm.html``, shown by ``core/base.html`` when the
page's context holds ``confirmation``): what will happen and to how many records, the form's fields
kept as hidden inputs, 确认 and 取消. The second POST, with ``confirmed=1``, acts. The JSON API routes
stay one-step (programs).

A handler builds a :class:`Confirmation` and asks :func:`pending`::

    ask = pending(form, Confirmation(code="voting_reprint_all", title=…, summary=[…], action=…,
                                     typed=str(count), state=fingerprint))
    if ask:
        return await meeting_page(…, confirmation=ask, status=ask.status_code)
    …act…

``typed`` asks the officer to type a text (the number of sheets, an estate's name) before a mass
action; a wrong text gives the panel back (400) with the error beside the field. ``state`` is a
fingerprint of what the summary describes (a count, a status): when it changed between the two POSTs —
someone else acted, or the confirmed form was sent twice — the panel comes back with the new summary
(409) instead of acting on what the officer did not see. Each plugin provides only its words.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from core.messages import message

CONFIRMED = "confirmed"  #: the hidden field of the panel's 确认 button
TYPED = "confirm_text"  #: the text the officer types for a mass action
STATE = "confirm_state"  #: the fingerprint of what the panel described
#: never carried over as a hidden field: the panel writes its own
NOT_KEPT = frozenset({"csrf_token", CONFIRMED, TYPED, STATE})


@dataclass(frozen=True)
class Confirmation:
    """What the panel says and where its form posts."""

    code: str  #: stable, for programs and tests (``data-code`` on the panel)
    title: str  #: e.g. "确认全部重印表决票"
    summary: Sequence[str]  #: what will happen, with the numbers ("将作废 300 张原表决票…")
    action: str  #: the form route the 确认 button posts to
    fields: Sequence[tuple[str, str]] = ()  #: the form's fields, kept as hidden inputs
    confirm_label: str = ""  #: the 确认 button's words ("确认全部重印")
    cancel_href: str = ""  #: where 取消 leads (the page the form was on)
    typed: str = ""  #: the text to type before a mass action ("" : none)
    typed_label: str = ""  #: the label of that field
    state: str = ""  #: fingerprint of what the summary describes
    files: Sequence[tuple[str, str]] = ()  #: file inputs to choose again: (field, label)
    warning: bool = False  #: a possible duplicate rather than an irreversible action
    error: str = ""  #: beside the typed field (wrong text) or above the buttons (state changed)
    status_code: int = 200
    extra: Mapping[str, str] = field(default_factory=dict)  #: hidden fields added by the handler

    @property
    def hidden(self) -> list[tuple[str, str]]:
        kept = [(k, v) for k, v in self.fields if k not in NOT_KEPT and k not in self.extra]
        return kept + list(self.extra.items())

    @property
    def multipart(self) -> bool:
        return bool(self.files)

    @property
    def button(self) -> str:
        return self.confirm_label or message("confirm_button")


def is_confirmed(form: Any) -> bool:
    """The form was sent by a panel's 确认 button."""
    value = form.get(CONFIRMED) if form is not None else None
    return isinstance(value, str) and value == "1"


def kept_fields(form: Any) -> list[tuple[str, str]]:
    """Every text field of ``form`` (repeated ones in order) but the CSRF token and the panel's own;
    files cannot be kept (a browser sends a file only when a person chooses it)."""
    if form is None:
        return []
    items: Iterable[tuple[str, Any]] = form.multi_items() if hasattr(form, "multi_items") else form.items()
    return [(k, v) for k, v in items if isinstance(v, str) and k not in NOT_KEPT]


def normalise(text: str) -> str:
    """What the officer typed, compared leniently: full-width digits, spaces and the words 张/份 aside."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "张份个,，").casefold()


def fingerprint(*parts: object) -> str:
    """A short fingerprint of what a confirmation describes (counts, statuses, lists)."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def pending(form: Any, confirmation: Confirmation) -> Confirmation | None:
    """``None`` when ``form`` confirms ``confirmation`` (the typed text right, nothing changed since
    the panel was shown); else the panel to show, the form's fields kept, with the error if any."""
    asked = replace(confirmation, fields=confirmation.fields or kept_fields(form))
    if not is_confirmed(form):
        return asked
    sent_state = form.get(STATE)
    if confirmation.state and sent_state != confirmation.state:
        return replace(asked, error=message("confirm_state_changed"), status_code=409)
    if confirmation.typed:
        typed = form.get(TYPED)
        if not isinstance(typed, str) or normalise(typed) != normalise(confirmation.typed):
            return replace(
                asked,
                error=message("confirm_typed_wrong", expected=confirmation.typed),
                status_code=400,
            )
    return None
