"""The console's proxy form (委托投票, #18 point 1): a clerk records a signed authorisation from the
meeting page — the motions ticked, the owner's instruction per motion, the scan — and is handed the
proxy's sheet; the list shows it; a form without the clerk's check, without motions or with a bad scan
comes back with the reason beside it and records nothing; only the district's officers reach it."""

from __future__ import annotations

import io

from docx import Document

from core.data.tables import AuditEntry
from core.testing import login, office_today
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


async def test_the_cli_records_and_lists_proxies_and_transfers(db, weifang, tmp_path):
    """``wuye voting proxy record/list`` and ``wuye voting transfer record``: the sheet written to
    ``--out``, bad input on stderr with exit code 2 and nothing recorded."""
    from core.testing import wuye_command, wuye_env

    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))
    m = weifang
    scan = tmp_path / "委托书.pdf"
    scan.write_bytes(PDF)
    out = tmp_path / "proxy.docx"
    base = ["voting", "proxy", "record", "-m", m["id"], "--serial", m["serial"][2], "--proxy-name", "李受托"]
    bad_id = wuye_command(
        *base, "--proxy-id", "12", "--scan", str(scan), "--out", str(out), env=env, check=False
    )
    assert bad_id.returncode == 2 and "身份证件号码" in bad_id.stderr and "Traceback" not in bad_id.stderr
    bad_motion = wuye_command(
        *base,
        *("--proxy-id", WEIFANG_ID, "--motions", "一", "--scan", str(scan), "--out", str(out)),
        env=env,
        check=False,
    )
    assert bad_motion.returncode == 2 and "表决事项" in bad_motion.stderr
    assert await VotingProxy.count() == 0 and not out.exists()
    done = wuye_command(
        *base,
        *("--proxy-id", WEIFANG_ID, "--motions", "1,2", "--instructions", "1=反对"),
        *("--scan", str(scan), "--out", str(out)),
        env=env,
    )
    assert "第 1 号委托书" in done.stdout and "原表决票已作废" in done.stdout
    assert "受托人：李受托" in _texts(out.read_bytes())
    listed = wuye_command("voting", "proxy", "list", "-m", m["id"], env=env).stdout
    assert "李受托" in listed and "第1项反对" in listed

    sheet = tmp_path / "new-owner.docx"
    transfer = ["voting", "transfer", "record", "-m", m["id"], "--serial", m["serial"][3]]
    bad_day = wuye_command(
        *transfer, "--new-owner", "赵新", "--on", "昨天", "--out", str(sheet), env=env, check=False
    )
    assert bad_day.returncode == 2 and "Traceback" not in bad_day.stderr and not sheet.exists()
    moved = wuye_command(
        *transfer, "--new-owner", "赵新", "--on", office_today().isoformat(), "--out", str(sheet), env=env
    )
    assert "新业主 赵新 的表决票已打印" in moved.stdout and sheet.stat().st_size > 0
