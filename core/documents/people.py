"""People in official documents: a person's name, never an audit label (one implementation for
pages and documents: :mod:`core.identity.names`)."""

from __future__ import annotations

from core.identity.names import people_name

#: The name to print for an audit label or a typed name.
display_name = people_name

__all__ = ["display_name"]
