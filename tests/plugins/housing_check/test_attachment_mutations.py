"""A bad attachment stores nothing: an empty file, one over the limit, a name with NUL or a control
character — through the API's upload, the console's attachment form and the console's step form (whose
step then is not recorded either) — is refused in Chinese (4xx) and leaves the database as it was, row
by row, and no file on disk; an odd name (a path, 1,000 characters, a right-to-left mark) is stored
under a name that names no place, or refused, never a 500."""

from __future__ import annotations

import pytest

from core.testing import login
from core.testing_mutations import (
    ODD_NAMES,
    assert_page_refused,
    assert_refused,
    assert_unchanged,
    bad_uploads,
    database_rows,
    files_under,
    multipart,
)
from plugins.housing_check.services.households import MAX_ATTACHMENT_MB
from plugins.housing_check.tables import HousingCheckAttachment
from tests.plugins.housing_check.test_flow import BASE, import_list, today

SCAN = b"%PDF-1.4 a scan of the tenancy certificate"
BAD = bad_uploads(SCAN, MAX_ATTACHMENT_MB * 1024 * 1024)
CODES = ("housing_check_", "upload_", "payload_", "control_characters")
#: what a refused console form writes: the audited read of the household page it shows again
READS = ("housing_check.view_household",)


@pytest.fixture
async def step(db, client, people):
    """An entrustment's first household with an electronic check recorded, officer_a logged in."""
    csrf = await login(client, "sup")
    created = (await import_list(client, csrf, today())).json()
    entrustment = created["entrustment"]
    await client.post(
        f"{BASE}/entrustments/{entrustment}/officers",
        json={"officers": ["officer_a"]},
        headers={"x-csrf-token": csrf},
    )
    detail = (await client.get(f"{BASE}/entrustments/{entrustment}")).json()
    household = detail["household_list"][0]["household"]
    await client.post("/logout", headers={"x-csrf-token": csrf})
    csrf = await login(client, "officer_a")
    base = f"{BASE}/entrustments/{entrustment}/households/{household}"
    recorded = await client.post(
        f"{base}/steps",
        json={"kind": "electronic", "date": today().isoformat(), "result": "unresolved", "finding": "无"},
        headers={"x-csrf-token": csrf},
    )
    assert recorded.status_code == 201, recorded.text
    return {"csrf": csrf, "base": base, "step": recorded.json()["step"]}


async def _send(client, url: str, fields: dict[str, str], headers: dict[str, str], upload):
    body, content_type = multipart(fields, [("data", *upload)])
    return await client.post(url, content=body, headers={**headers, "content-type": content_type})


async def _api(client, step, *upload):
    url = f"{step['base']}/steps/{step['step']}/attachments"
    return await _send(client, url, {}, {"x-csrf-token": step["csrf"]}, upload)


async def _attach_form(client, step, *upload):
    url = f"{step['base']}/console/steps/{step['step']}/attachments"
    return await _send(client, url, {"csrf_token": step["csrf"]}, {"accept": "text/html"}, upload)


async def _step_form(client, step, *upload):
    fields = {"step": "archive:resolved", "date": today().isoformat(), "finding": "调档", "officer": ""}
    url = f"{step['base']}/console/steps"
    return await _send(client, url, {"csrf_token": step["csrf"], **fields}, {"accept": "text/html"}, upload)


async def test_bad_attachments_are_refused_and_store_nothing_on_any_route(db, client, step):
    for case, upload in BAD.items():
        for send in (_api, _attach_form, _step_form):
            before, disk = await database_rows(db), files_under(db.settings.var_dir)
            response = await send(client, step, *upload)
            assert response.status_code < 500, (case, send.__name__, response.text[:500])
            if send is _api:
                assert_refused(response, CODES)
            else:
                assert_page_refused(response)
            assert_unchanged(before, await database_rows(db), reads=READS, where=(case, send.__name__))
            assert files_under(db.settings.var_dir) == disk, (case, send.__name__)


async def test_an_attachment_under_an_odd_name_is_stored_under_a_harmless_one_or_refused(db, client, step):
    for case, (name, media_type) in ODD_NAMES.items():
        for send in (_api, _attach_form):
            before, disk = await database_rows(db), files_under(db.settings.var_dir)
            count = await HousingCheckAttachment.count()
            response = await send(client, step, name, SCAN, media_type)
            assert response.status_code < 500, (case, response.text[:500])
            assert files_under(db.settings.var_dir) == disk, case
            if response.status_code >= 400:
                assert_unchanged(before, await database_rows(db), reads=READS, where=case)
                continue
            assert await HousingCheckAttachment.count() == count + 1
            stored = await HousingCheckAttachment.select().order_by(
                HousingCheckAttachment.id, ascending=False
            )
            kept = stored[0]["filename"]
            assert "/" not in kept and "\\" not in kept and len(kept) <= 255, (case, kept)
