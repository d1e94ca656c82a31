"""The console's proxy form (委托投票, #18 point 1): a clerk records a signed authorisation from the
meeting page — the motions ticked, the owner's instruction per motion, the scan — and is handed the
proxy's sheet; the list shows it; a form without the clerk's check, without motions or with a bad scan
comes back with the reason beside it and records nothing; only the district's officers reach it."""

from __future__ import annotations

import io

from docx import Document

from core.data.tables import AuditEntry
from core.testing import login
from plugins.voting.tables import VotingCredential, VotingProxy
from tests.plugins.voting import test_proxies
from tests.plugins.voting.test_proxies import PDF, WEIFANG_ID

HTML = {"Accept": "text/html"}
weifang = test_proxies.weifang  # the fixture: a Weifang meeting of six owners


def _texts(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


async def test_a_clerk_records_a_proxy_from_the_meeting_page(db, client, weifang, staff_factory):
    m = weifang
    await staff_factory("officer_wf", "district_officer", "wf")
    csrf = await login(client, "officer_wf")
    page = f"/d/wf/voting/meetings/{m['id']}/console"
    shown = await client.get(page, headers=HTML)
    assert 'id="proxy-form"' in shown.text and "登记委托并打印受托人表决票" in shown.text
    form = {
        "csrf_token": csrf,
        "serial": m["serial"][2],
        "proxy_name": "李受托",
        "proxy_id": WEIFANG_ID,
        "motions": ["1", "2"],
        "instruction_1": "同意",
        "instruction_2": "",
        "instruction_3": "",
    }
    scan = {"scan": ("委托书.pdf", PDF, "application/pdf")}
    unchecked = await client.post(f"{page}/proxies", data=form, files=scan, headers=HTML)
    assert unchecked.status_code == 400 and 'id="proxy-error"' in unchecked.text
    assert "勾选确认" in unchecked.text and 'value="李受托"' in unchecked.text  # what was typed stays
    none = await client.post(
        f"{page}/proxies", data=form | {"checked": "on", "motions": []}, files=scan, headers=HTML
    )
    assert none.status_code == 400 and "请选择委托表决的议题" in none.text
    photo = await client.post(
        f"{page}/proxies",
        data=form | {"checked": "on"},
        files={"scan": ("委托书.txt", b"hello", "text/plain")},
        headers=HTML,
    )
    assert photo.status_code == 400 and "PDF、JPG 或 PNG" in photo.text
    assert await VotingProxy.count() == 0

    done = await client.post(f"{page}/proxies", data=form | {"checked": "on"}, files=scan, headers=HTML)
    assert done.status_code == 200, done.text[:500]
    assert "wordprocessingml" in done.headers["content-type"]
    sheet = _texts(done.content)
    assert "受托人：李受托" in sheet and "第1项同意" in sheet
    (proxy,) = await VotingProxy.select()
    assert proxy["proxy_id_tail"] == WEIFANG_ID[-4:] and WEIFANG_ID not in str(proxy)
    assert await VotingCredential.count().where(VotingCredential.proxy.is_not_null()) == 1
    assert await AuditEntry.exists().where(AuditEntry.action == "voting.proxy_sheet")
    again = await client.post(f"{page}/proxies", data=form | {"checked": "on"}, files=scan, headers=HTML)
    assert again.status_code == 409 and "不能重复委托" in again.text  # a second click changes nothing
    assert await VotingProxy.count() == 1

    listed = await client.get(page, headers=HTML)
    assert 'id="proxy-list"' in listed.text and "李受托（证件尾号 1234）" in listed.text
    assert "第1项同意" in listed.text and f"/proxies/{proxy['number']}/scan" in listed.text


async def test_only_the_districts_officers_reach_the_proxy_form(db, client, estate, weifang, staff_factory):
    m = weifang
    await staff_factory("officer_other", "district_officer", "alpha")  # another district's officer
    csrf = await login(client, "officer_other")
    response = await client.post(
        f"/d/wf/voting/meetings/{m['id']}/console/proxies",
        data={"csrf_token": csrf, "serial": m["serial"][2], "checked": "on", "motions": ["1"]},
        files={"scan": ("委托书.pdf", PDF, "application/pdf")},
        headers=HTML,
    )
    assert response.status_code in (403, 404)
    assert await VotingProxy.count() == 0
