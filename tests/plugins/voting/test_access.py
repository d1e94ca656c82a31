"""An officer of one district cannot reach another district's meeting or estate through their own
district's URLs: every voting route that names a meeting or an estate, walked with the other
district's identifiers, answers 404 and changes nothing."""

from __future__ import annotations

import re

from core.data.tables import AuditEntry
from core.district_services import add_district, add_estate, switch_plugin
from core.testing import login
from core.web.app import create_app
from plugins.voting.tables import VotingBallot, VotingCredential, VotingMeeting, VotingVoter
from tests.plugins.voting.conftest import PASSPHRASE, meeting_file, register_csv

PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
# Valid bodies (by the route's last segment), so that what refuses is the ownership check.
SERIAL = "0001"
VALID_BODIES: dict[str, object] = {
    "meetings": meeting_file(),
    "deliveries": {
        "serial": SERIAL,
        "method": "in_person",
        "delivered_on": "2026-01-05",
        "received_by": "本人",
    },
    "paper": {"serial": SERIAL, "scrutineer": "周监票", "passphrase": PASSPHRASE, "choices": {"1": "agree"}},
    "revocations": {"serial": SERIAL, "reason": "遗失"},
    "scrutineer-keys": {"scrutineer": "周监票", "passphrase": PASSPHRASE},
    "transfers": {"serial": SERIAL, "new_owner": "钱新", "transferred_on": "2026-01-05"},
    "objections": {"received_on": "2026-01-05", "submitted_by": "王五", "content": "异议"},
    "answer": {"answer": "已核对"},
    "extend": {
        "voting_closes": "2030-01-05T17:00:00+08:00",
        "count_date": "2030-01-06",
        "reason": "人数不足",
    },
}
# Uploads (by the route's last segment): a well-formed file, so that only ownership can refuse.
UPLOADS: dict[str, dict] = {
    "register": {"files": {"data": ("r.csv", register_csv(), "text/csv")}},
    "count-sheet": {
        "files": {"file": ("c.csv", b"serial,1\n0001,agree\n", "text/csv")},
        "data": {"scrutineer": "周监票", "passphrase": PASSPHRASE},
    },
    "proxies": {
        "files": {"scan": ("a.pdf", b"%PDF-1.4\n", "application/pdf")},
        "data": {"serial": SERIAL, "proxy_name": "李受托", "proxy_id": "370702198001011234"},
    },
}


def object_routes(runtime) -> list[tuple[str, str]]:
    """(method, path template) of every voting staff route that names a meeting or an estate."""
    found = set()
    for route in create_app(runtime).routes:
        if not route.path.startswith("/d/{district") or "/voting/" not in route.path:
            continue
        if "{meeting" not in route.path and "{estate" not in route.path:
            continue
        for method in getattr(route, "methods", ()):
            if method not in {"HEAD", "OPTIONS"}:
                found.add((method, route.path))
    return sorted(found)


async def state() -> tuple:
    meeting = await VotingMeeting.select(VotingMeeting.status, VotingMeeting.title).first()
    return (
        meeting,
        await VotingVoter.count(),
        await VotingCredential.count(),
        await VotingBallot.count(),
        await AuditEntry.count(),
    )


async def test_another_districts_meeting_and_estate_are_out_of_reach(db, client, open_meeting, staff_factory):
    beta = await add_district(db, "test", "beta", "乙街道")
    await add_estate(db, "test", beta, "E2", "乙小区")
    await switch_plugin(db, "test", beta, "voting", True)
    await staff_factory("officer_b", "district_officer", "beta")
    csrf = await login(client, "officer_b")
    before = await state()

    routes = object_routes(db)
    assert len(routes) >= 15, routes
    values = {"district": "beta", "meeting": open_meeting["id"], "estate": "E1"}
    wrong = []
    for method, template in routes:
        path = PARAM.sub(lambda m: values.get(m.group(1), "1"), template)
        last = template.rsplit("/", 1)[-1]
        if last in UPLOADS:
            response = await client.post(path, headers={"x-csrf-token": csrf}, **UPLOADS[last])
        else:
            body = None if method == "GET" else VALID_BODIES.get(last, {})
            response = await client.request(method, path, json=body, headers={"x-csrf-token": csrf})
        if response.status_code != 404:
            wrong.append((method, path, response.status_code, response.text[:120]))
    assert not wrong, wrong

    assert await state() == before
    # the same URLs do answer in the meeting's own district (the 404s above are the ownership check)
    await staff_factory("officer_a", "district_officer", "alpha")
    client.cookies.clear()
    await login(client, "officer_a")
    for method, template in routes:
        if method == "GET" and "{meeting" in template and not template.endswith(".docx"):
            path = PARAM.sub(lambda m: {**values, "district": "alpha"}.get(m.group(1), "1"), template)
            response = await client.get(path)
            assert response.status_code == 200 or (
                response.status_code == 404
                and response.json()["code"] in {"voting_not_sealed", "voting_proxy_not_found"}
            ), path
