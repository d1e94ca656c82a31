"""Roles within a district are what docs/security.md promises, route by route.

The table below is the promise, written out by hand: for every district route, which estate roles
(besides the district's officers) it admits. A committee member reads their own estate's meetings and
documents; a counter reads them and enters the paper count; neither reaches group-rental cases,
housing checks, settings, or any object of another estate. The test walks every route of the app, so
a new route that is not in the table fails it until someone decides who may use it.
"""

from __future__ import annotations

import re

import pytest

from core.district_services import add_district, add_estate, switch_plugin
from core.plugins import duty_names
from core.testing import login
from core.web.app import create_app
from plugins.voting.services.meetings import create_meeting, parse_meeting_file
from plugins.voting.services.register import import_register
from tests.plugins.voting.conftest import encode, meeting_file, register_csv

MEMBER = "committee_member"
COUNTER = "counter"
SCRUTINEER = "scrutineer"
CHECKER = "checker"
BOTH = frozenset({MEMBER, COUNTER, SCRUTINEER})  # the estate roles that read a meeting's work
EVERY = BOTH | {CHECKER}  # the district's own pages: every role, narrowed to what it reaches
ASSIGNED = frozenset({CHECKER})  # a checker's assigned housing checks
NONE: frozenset[str] = frozenset()

HOUSEHOLD = "/d/{district}/housing_check/entrustments/{entrustment}/households/{household}"

#: (method, path) -> the estate roles admitted; every other district route is for officers alone.
ADMITTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/d/{district}"): EVERY,
    ("GET", "/api/d/{district}"): EVERY,
    ("GET", "/api/d/{district}/estates"): EVERY,
    ("GET", "/api/d/{district}/plugins"): EVERY,
    ("GET", "/d/{district}/voting"): BOTH,
    ("GET", "/d/{district}/voting/meetings"): BOTH,
    ("GET", "/d/{district}/voting/meetings/{meeting}"): BOTH,
    ("GET", "/d/{district}/voting/meetings/{meeting}/console"): BOTH,
    ("GET", "/d/{district}/voting/meetings/{meeting}/tally"): BOTH,
    ("GET", "/d/{district}/voting/meetings/{meeting}/record.zip"): BOTH,
    ("GET", "/d/{district}/voting/meetings/{meeting}/paper"): BOTH,
    ("POST", "/d/{district}/voting/meetings/{meeting}/paper"): frozenset({COUNTER}),
    ("POST", "/d/{district}/voting/meetings/{meeting}/count-sheet"): frozenset({COUNTER}),
    # a scrutineer's first sign-in to the count (their key): at the count's console or their own account
    ("GET", "/d/{district}/voting/meetings/{meeting}/scrutineer-keys"): BOTH,
    ("POST", "/d/{district}/voting/meetings/{meeting}/scrutineer-keys"): frozenset({COUNTER, SCRUTINEER}),
    ("GET", "/d/{district}/voting/meetings/{meeting}/notice.docx"): frozenset({MEMBER}),
    ("GET", "/d/{district}/voting/meetings/{meeting}/deliveries.docx"): frozenset({MEMBER}),
    ("GET", "/d/{district}/voting/meetings/{meeting}/result.docx"): frozenset({MEMBER}),
    # the result in phases: the committee issues the notices and answers the objections
    ("GET", "/d/{district}/voting/meetings/{meeting}/preliminary.docx"): frozenset({MEMBER}),
    ("GET", "/d/{district}/voting/meetings/{meeting}/objections"): BOTH,
    ("POST", "/d/{district}/voting/meetings/{meeting}/objections"): frozenset({MEMBER}),
    ("POST", "/d/{district}/voting/meetings/{meeting}/objections/{number}/answer"): frozenset({MEMBER}),
    ("POST", "/d/{district}/voting/meetings/{meeting}/extend"): frozenset({MEMBER}),
    ("GET", "/d/{district}/voting/meetings/{meeting}/extension.docx"): frozenset({MEMBER}),
    ("GET", "/d/{district}/voting/meetings.xlsx"): BOTH,
    ("GET", "/d/{district}/voting/meetings/{meeting}/voters.xlsx"): frozenset({MEMBER}),
    ("GET", "/d/{district}/voting/meetings/{meeting}/count-sheet-template.xlsx"): frozenset({COUNTER}),
    ("POST", "/d/{district}/voting/meetings/{meeting}/console/head"): frozenset({MEMBER}),
    # housing checks: a checker does the work of the entrustments assigned to them
    ("GET", "/d/{district}/housing_check"): ASSIGNED,
    ("GET", "/d/{district}/housing_check/entrustments"): ASSIGNED,
    ("GET", "/d/{district}/housing_check/entrustments.xlsx"): ASSIGNED,
    ("GET", "/d/{district}/housing_check/entrustments/{entrustment}"): ASSIGNED,
    ("GET", "/d/{district}/housing_check/entrustments/{entrustment}/console"): ASSIGNED,
    ("POST", "/d/{district}/housing_check/entrustments/{entrustment}/console/report"): ASSIGNED,
    ("POST", "/d/{district}/housing_check/entrustments/{entrustment}/report"): ASSIGNED,
    ("GET", "/d/{district}/housing_check/entrustments/{entrustment}/report.docx"): ASSIGNED,
    **{
        (method, HOUSEHOLD + tail): ASSIGNED
        for method, tail in (
            ("GET", ""),
            ("GET", "/attachments/{attachment}"),
            ("GET", "/console"),
            ("POST", "/console/dwellings"),
            ("POST", "/console/steps"),
            ("POST", "/console/steps/{step}/attachments"),
            ("POST", "/console/withdraw"),
            ("POST", "/dwellings"),
            ("POST", "/dwellings/{dwelling}/withdraw"),
            ("POST", "/steps"),
            ("POST", "/steps/{step}/attachments"),
        )
    },
}

#: Every district route that admits officers alone (the plugins' and the core's). Listed, not
#: derived, so that a route added without a decision about its roles fails the test.
OFFICERS_ONLY = """
PUT /api/d/{district}/jurisdiction
POST /api/d/{district}/estates
PUT /api/d/{district}/plugins/{plugin}
GET /api/d/{district}/audit
GET /api/d/{district}/clock
PUT /api/d/{district}/clock
GET /d/{district}/plugins
POST /d/{district}/plugins/{plugin}
POST /d/{district}/estates
POST /d/{district}/jurisdiction
POST /d/{district}/clock
POST /d/{district}/voting/estates/{estate}/meetings
GET /d/{district}/voting/estates/{estate}/meetings/new
POST /d/{district}/voting/estates/{estate}/register
GET /d/{district}/voting/register-template.xlsx
POST /d/{district}/voting/meetings/{meeting}/ballots
POST /d/{district}/voting/meetings/{meeting}/deliveries
POST /d/{district}/voting/meetings/{meeting}/open
POST /d/{district}/voting/meetings/{meeting}/publish
POST /d/{district}/voting/meetings/{meeting}/revocations
GET /d/{district}/voting/meetings/{meeting}/proxies
POST /d/{district}/voting/meetings/{meeting}/proxies
GET /d/{district}/voting/meetings/{meeting}/proxies/{number}/scan
GET /d/{district}/voting/meetings/{meeting}/transfers
POST /d/{district}/voting/meetings/{meeting}/transfers
POST /d/{district}/voting/meetings/{meeting}/seal
POST /d/{district}/voting/meetings/{meeting}/console/publish
POST /d/{district}/voting/meetings/{meeting}/console/edit
POST /d/{district}/voting/meetings/{meeting}/console/delete
POST /d/{district}/voting/meetings/{meeting}/console/ballots
POST /d/{district}/voting/meetings/{meeting}/console/revocations
POST /d/{district}/voting/meetings/{meeting}/console/proxies
POST /d/{district}/voting/meetings/{meeting}/console/transfers
POST /d/{district}/voting/meetings/{meeting}/console/deliveries
POST /d/{district}/voting/meetings/{meeting}/console/deliveries/building
POST /d/{district}/voting/meetings/{meeting}/console/open
POST /d/{district}/voting/meetings/{meeting}/console/seal
GET /d/{district}/voting/meetings/{meeting}/undelivered.xlsx
GET /d/{district}/group_rental
POST /d/{district}/group_rental/assess
GET /d/{district}/group_rental/cases
GET /d/{district}/group_rental/cases.xlsx
POST /d/{district}/group_rental/cases
GET /d/{district}/group_rental/cases/{case}
GET /d/{district}/group_rental/cases/{case}/console
POST /d/{district}/group_rental/cases/{case}/console/escalation
POST /d/{district}/group_rental/cases/{case}/console/inspections
POST /d/{district}/group_rental/cases/{case}/console/orders
POST /d/{district}/group_rental/cases/{case}/console/orders/{number}
POST /d/{district}/group_rental/cases/{case}/console/orders/{number}/service
POST /d/{district}/group_rental/cases/{case}/console/orders/{number}/supersede
POST /d/{district}/group_rental/cases/{case}/console/photos
POST /d/{district}/group_rental/cases/{case}/escalation
GET /d/{district}/group_rental/cases/{case}/escalation.zip
POST /d/{district}/group_rental/cases/{case}/inspections
POST /d/{district}/group_rental/cases/{case}/orders
PATCH /d/{district}/group_rental/cases/{case}/orders/{number}
GET /d/{district}/group_rental/cases/{case}/orders/{number}/order.docx
POST /d/{district}/group_rental/cases/{case}/orders/{number}/service
POST /d/{district}/group_rental/cases/{case}/orders/{number}/supersede
POST /d/{district}/group_rental/cases/{case}/photos
GET /d/{district}/group_rental/cases/{case}/photos/{sha256}
POST /d/{district}/group_rental/console/cases
GET /d/{district}/group_rental/overdue
POST /d/{district}/housing_check/console/entrustments
GET /d/{district}/housing_check/households-template.xlsx
POST /d/{district}/housing_check/entrustments
POST /d/{district}/housing_check/entrustments/import
POST /d/{district}/housing_check/entrustments/{entrustment}/console/officers
POST /d/{district}/housing_check/entrustments/{entrustment}/console/unassign
POST /d/{district}/housing_check/entrustments/{entrustment}/officers
DELETE /d/{district}/housing_check/entrustments/{entrustment}/officers/{username}
GET /d/{district}/toy_duty
GET /d/{district}/staff
POST /d/{district}/staff
POST /d/{district}/staff/{username}/active
POST /d/{district}/staff/{username}/password
POST /d/{district}/staff/{username}/roles
POST /d/{district}/staff/{username}/roles/{grant_id}/revoke
POST /d/{district}/staff/{username}/tokens
POST /d/{district}/staff/{username}/tokens/{token_id}/revoke
GET /d/{district}/toy_duty/notes
POST /d/{district}/toy_duty/notes
"""

TABLE: dict[tuple[str, str], frozenset[str]] = {
    **{
        (method, path.replace("$HOUSEHOLD", HOUSEHOLD)): NONE
        for method, path in (line.split(" ", 1) for line in OFFICERS_ONLY.split("\n") if line)
    },
    **ADMITTED,
}

TYPED = re.compile(r"\{(\w+):\w+\}")
PARAM = re.compile(r"\{(\w+)\}")


def app_routes(runtime) -> set[tuple[str, str]]:
    """(method, path with untyped parameters) of every route of the app that names a district."""
    found = set()
    for route in create_app(runtime).routes:
        if "{district" not in route.path:
            continue
        path = TYPED.sub(r"{\1}", route.path).rstrip("/") or "/"
        for method in getattr(route, "methods", ()):
            if method not in {"HEAD", "OPTIONS"}:
                found.add((method, path))
    return found


@pytest.fixture
async def two_estates(db, staff_factory):
    """District alpha with estates E1 and E2, a draft meeting in each; a committee member and a counter
    of E1, an officer of alpha."""
    district = await add_district(db, "test", "alpha", "甲街道")
    for code, name in (("E1", "一号小区"), ("E2", "二号小区")):
        await add_estate(db, "test", district, code, name)
    for plugin in duty_names(db.pm):
        await switch_plugin(db, "test", district, plugin, True)
    meetings = {}
    for code in ("E1", "E2"):
        await import_register(district, code, register_csv(), "r.csv", "officer")
        created = await create_meeting(
            db, district, code, parse_meeting_file(encode(meeting_file(title=f"{code}业主大会"))), "o"
        )
        meetings[code] = created["meeting"]
    await staff_factory("officer", "district_officer", "alpha")
    await staff_factory("member", MEMBER, "alpha", "E1")
    await staff_factory("counter", COUNTER, "alpha", "E1")
    await staff_factory("scrutineer", SCRUTINEER, "alpha", "E1")
    await staff_factory("checker", CHECKER, "alpha")
    return meetings


def fill(path: str, estate: str, meetings: dict[str, str]) -> str:
    values = {"district": "alpha", "estate": estate, "meeting": meetings[estate], "plugin": "toy_duty"}
    values |= {"grant_id": "1", "token_id": "1", "number": "1"}
    return PARAM.sub(lambda m: values.get(m.group(1), "x1"), path)


async def call(client, csrf: str | None, method: str, url: str):
    headers = {"accept": "application/json"}
    if csrf:
        headers["x-csrf-token"] = csrf
    return await client.request(method, url, json=None if method == "GET" else {}, headers=headers)


def test_the_table_names_every_district_route(db):
    routes = app_routes(db)
    assert routes - TABLE.keys() == set(), "routes without a decision about roles"
    assert TABLE.keys() - routes == set(), "the table names routes the app no longer has"


LOGIN = {MEMBER: "member", COUNTER: "counter", SCRUTINEER: "scrutineer", CHECKER: "checker"}


@pytest.mark.parametrize("role", [MEMBER, COUNTER, SCRUTINEER, CHECKER])
async def test_a_role_reaches_exactly_its_routes(db, client, two_estates, role):
    """Every district route × every role below the officers: admitted exactly where the table says
    (for an estate role, with its own estate's objects)."""
    csrf = await login(client, LOGIN[role])
    wrong = []
    for (method, path), admitted in sorted(TABLE.items()):
        url = fill(path, "E1", two_estates)
        response = await call(client, csrf, method, url)
        assert response.status_code < 500, f"{method} {url} -> {response.text[:300]}"
        refused = response.status_code in {401, 403}
        if (role in admitted) == refused:
            wrong.append(f"{method} {url} -> {response.status_code} (admitted: {role in admitted})")
        if refused:
            assert response.json()["code"] == "forbidden", (method, url)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", [MEMBER, COUNTER, SCRUTINEER, CHECKER])
async def test_a_role_is_refused_every_object_of_another_estate(db, client, two_estates, role):
    csrf = await login(client, LOGIN[role])
    named = [(m, p) for (m, p) in TABLE if "{meeting}" in p or "{estate}" in p]
    assert len(named) >= 15
    for method, path in named:
        url = fill(path, "E2", two_estates)
        response = await call(client, csrf, method, url)
        assert response.status_code == 403, f"{method} {url} -> {response.status_code} {response.text[:200]}"
        assert response.json()["code"] == "forbidden"


async def test_anonymous_and_unknown_estates_get_nothing(db, client, two_estates):
    for (method, path), _ in sorted(TABLE.items()):
        url = fill(path, "E1", two_estates)
        response = await call(client, None, method, url)
        assert response.status_code in {401, 403}, f"{method} {url} -> {response.status_code}"
    await login(client, "member")
    missing = await client.get("/d/alpha/voting/meetings/no-such-meeting/tally")
    assert missing.status_code in {403, 404} and missing.status_code < 500


async def test_lists_and_pages_show_only_the_roles_own_estate(db, client, two_estates):
    await login(client, "member")
    estates = (await client.get("/api/d/alpha/estates")).json()
    assert [e["code"] for e in estates] == ["E1"]
    meetings = (await client.get("/d/alpha/voting/meetings")).json()
    assert [m["meeting"] for m in meetings] == [two_estates["E1"]]
    home = (await client.get("/d/alpha/voting", headers={"accept": "text/html"})).text
    assert "E1业主大会" in home and "E2业主大会" not in home and "二号小区" not in home
    district = (await client.get("/d/alpha", headers={"accept": "text/html"})).text
    assert "二号小区" not in district
    # the console menu offers only what opens for the role
    assert "/d/alpha/group_rental" not in district and "/d/alpha/housing_check" not in district
    assert "/d/alpha/voting" in district


async def test_the_officer_sees_both_estates(db, client, two_estates):
    await login(client, "officer")
    estates = (await client.get("/api/d/alpha/estates")).json()
    assert sorted(e["code"] for e in estates) == ["E1", "E2"]
    meetings = (await client.get("/d/alpha/voting/meetings")).json()
    assert sorted(m["meeting"] for m in meetings) == sorted(two_estates.values())


@pytest.mark.parametrize("role", [MEMBER, COUNTER, SCRUTINEER])
async def test_an_estate_role_is_granted_only_for_an_estate(db, staff_factory, role):
    from core.data.tables import RoleGrant
    from core.errors import BadRequest

    await add_district(db, "test", "alpha", "甲街道")
    await staff_factory("someone")
    with pytest.raises(BadRequest) as refused:
        await staff_factory("someone", role, "alpha")
    assert "--estate" in refused.value.message
    assert await RoleGrant.count() == 0
