"""The meeting console offers each estate role what its routes admit, and nothing they refuse:
a counter enters the paper count, a committee member reads the documents, neither manages."""

from __future__ import annotations

import pytest

from core.testing import login

MANAGING = ('id="print-all"', 'id="seal"', 'id="revoke-form"', 'id="publish"')
DOCUMENTS = ("/notice.docx", "/deliveries.docx")
COUNTING = ('id="paper-form"', 'id="sheet-form"')


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("counter", COUNTING, DOCUMENTS + MANAGING),
        ("committee_member", DOCUMENTS, COUNTING + MANAGING),
    ],
)
async def test_the_console_shows_a_role_only_what_it_may_do(
    db, client, open_meeting, staff_factory, role, shown, hidden
):
    await staff_factory("someone", role, "alpha", "E1")
    await login(client, "someone")
    page = await client.get(f"/d/alpha/voting/meetings/{open_meeting['id']}/console")
    assert page.status_code == 200
    for marker in shown:
        assert marker in page.text, marker
    for marker in hidden:
        assert marker not in page.text, marker
    # and what it shows opens: the documents for the member, the paper count for the counter
    if role == "committee_member":
        notice = await client.get(f"/d/alpha/voting/meetings/{open_meeting['id']}/notice.docx")
        assert notice.status_code == 200
    else:
        paper = await client.get(f"/d/alpha/voting/meetings/{open_meeting['id']}/paper")
        assert paper.status_code == 200


async def test_the_officer_sees_everything(db, client, open_meeting, staff_factory):
    await staff_factory("officer", "district_officer", "alpha")
    await login(client, "officer")
    page = (await client.get(f"/d/alpha/voting/meetings/{open_meeting['id']}/console")).text
    for marker in COUNTING + DOCUMENTS + ('id="seal"', 'id="print-all"', 'id="revoke-form"'):
        assert marker in page, marker
