"""Console navigation entries contributed through the ``menu_items`` hook."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MenuItem:
    """One link in a district's console menu."""

    label: str  #: shown to staff, Chinese
    href: str  #: absolute path, normally under ``/d/{district}/{plugin}/``
    plugin: str  #: the plugin's name
    order: int = 100  #: smaller first
    #: Estate roles (``committee_member``, ``counter``) shown this entry besides the district's
    #: officers — the roles the page's route ``admits()``.
    admits: frozenset[str] = field(default_factory=frozenset)
