"""Which routes a checker (住房核查员, the ``checker`` task role) may use besides the district's
officers: the work on the entrustments they are assigned to — the list (narrowed to their own), the
entrustment and household pages, recording steps, attachments and dwellings, and the result report.
Creating entrustments and assigning officers stay with the district's officers (the supervisors);
the assignment itself is checked by :mod:`plugins.housing_check.services.access`.
tests/contract/test_roles.py holds the table."""

from __future__ import annotations

from core import admits

#: Routes of the assigned work (and the console menu's entry).
ASSIGNED_ROLES = frozenset({"checker"})
ASSIGNED = admits(*ASSIGNED_ROLES)
