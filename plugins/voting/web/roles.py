"""Which estate roles (committee member, counter, scrutineer 监票人) each kind of voting route
admits besides the district's officers
(docs/security.md, Roles; tests/contract/test_roles.py holds the table). The routes take these as
their ``opt`` and the console asks :func:`core.reaches` with the same ones, so a button is shown
exactly where its route opens."""

from __future__ import annotations

from core import admits

#: The estate's meetings: lists, console, tally, paper entries (and the console menu's entry).
READ_ROLES = frozenset({"committee_member", "counter", "scrutineer"})
READ = admits(*READ_ROLES)
#: The meeting's documents: the notice, the delivery record, the result announcement.
DOCUMENTS = admits("committee_member")
#: The paper count: single sheets and count sheets.
COUNT = admits("counter")
#: A scrutineer's first sign-in to the count (their key, docs/protocol.md §8.2): at the count's
#: console, or from their own account.
SIGN_IN = admits("counter", "scrutineer")
