"""The officers' console over HTTP on both databases: the forms (CSRF field, redirect on success, the
same page with the problems in Chinese and nothing saved on failure), the pages' confidentiality and
the audit entry of every read of personal data."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta

from docx import Document

from core.data.tables import AuditEntry
from core.testing import login
from plugins.housing_check.tables import (
    HousingCheckAttachment,
    HousingCheckDwelling,
    HousingCheckEntrustment,
    HousingCheckStep,
)
from tests.plugins.housing_check.conftest import id_number, letter, list_csv
from tests.plugins.housing_check.test_flow import BASE, today

HTML = {"accept": "text/html"}


def form(csrf: str, **fields: str) -> dict[str, str]:
    return {"csrf_token": csrf, **fields}


async def create_by_form(client, csrf: str, *, people: str = "", file: bytes | None = None, **fields):
    data = form(csrf, **letter((today() - timedelta(days=3)).isoformat()), people=people)
    data.update(fields)
    files = {"data": ("名单.csv", file, "text/csv")} if file is not None else {"data": ("", b"", "")}
    return await client.post(f"{BASE}/console/entrustments", data=data, files=files, headers=HTML)


def entrustment_of(response) -> str:
    found = re.search(r"/entrustments/([^/]+)/console\?done=created", response.headers["location"])
    assert found, response.headers
    return found.group(1)


def household_ids(page: str) -> list[str]:
    return re.findall(r'data-household="(\d+)"', page)


async def test_supervisor_records_a_letter_by_typing_the_households(db, client, people):
    csrf = await login(client, "sup")
    lines = "\n".join(
        [
            f"H1 张伟 {id_number(11)} 申请人",
            f"H1，李娜，{id_number(12)}，配偶",
            "",
            f"H2\t王芳\t{id_number(21)}\t申请人",
        ]
    )
    created = await create_by_form(client, csrf, people=lines)
    assert created.status_code == 303, created.text
    entrustment = entrustment_of(created)
    page = await client.get(created.headers["location"], headers=HTML)
    assert page.status_code == 200
    assert "委托书已登记" in page.text and "张伟" in page.text
    assert id_number(11) not in page.text and id_number(11)[-4:] in page.text  # masked in the list
    assert len(household_ids(page.text)) == 2
    assert "Officer_A（officer_a）" in page.text  # an officer to assign
    assigned = await client.post(
        f"{BASE}/entrustments/{entrustment}/console/officers",
        data=form(csrf, officers="officer_a"),
        headers=HTML,
    )
    assert assigned.status_code == 303 and assigned.headers["location"].endswith("?done=officers")
    page = await client.get(assigned.headers["location"], headers=HTML)
    assert 'data-username="officer_a"' in page.text
    nobody = await client.post(
        f"{BASE}/entrustments/{entrustment}/console/officers", data=form(csrf), headers=HTML
    )
    assert nobody.status_code == 400 and "请至少指派一名核查人员" in nobody.text


async def test_a_bad_letter_is_shown_by_row_in_chinese_and_nothing_is_saved(db, client, people):
    csrf = await login(client, "sup")
    bad = list_csv([f"H1,张伟,{id_number(11)},配偶", "H2,王芳,310101197505050210,申请人"])
    response = await create_by_form(client, csrf, file=bad, letter_no="", received_on="2026-02-30")
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    text = response.text
    assert "未保存" in text and "核查委托信息有 4 处问题" in text
    assert "“委托书编号”不能为空" in text
    assert "第 3 行 身份证号码：身份证号码有误：310101197505050210" in text
    assert "第 2 行 关系：家庭 H1 没有申请人" in text
    assert 'value="甲街道住房保障实施机构"' in text  # what was typed is kept
    assert await HousingCheckEntrustment.count() == 0

    typed = await create_by_form(client, csrf, people=f"H1 张伟 {id_number(11)}\nH1 李娜 x 配偶 多余")
    assert typed.status_code == 422
    assert "第 1 行 应为 4 项（户编号、姓名、身份证号码、关系），本行有 3 项" in typed.text
    assert "第 2 行" in typed.text and "本行有 5 项" in typed.text
    both = await create_by_form(client, csrf, people="H1 张伟", file=list_csv())
    assert both.status_code == 422 and "上传名单和逐行录入只能选择一种" in both.text
    neither = await create_by_form(client, csrf)
    assert neither.status_code == 422 and "请上传核查对象名单" in neither.text
    damaged = await create_by_form(client, csrf, file=b"\xff\xff\x00garbage")
    assert damaged.status_code == 422 and "无法读取核查对象名单" in damaged.text
    assert await HousingCheckEntrustment.count() == 0
    # a list over the size limit (and over the core's 2 MB request limit) comes back on the form
    too_large = await create_by_form(client, csrf, file=list_csv() + b"\n" * (2 * 1024 * 1024))
    assert too_large.status_code == 413 and too_large.headers["content-type"].startswith("text/html")
    assert "文件过大：不能超过 2 MB" in too_large.text and "未保存" in too_large.text
    assert 'value="甲街道住房保障实施机构"' in too_large.text  # what was typed is kept
    assert await HousingCheckEntrustment.count() == 0

    created = await create_by_form(client, csrf, file=list_csv())
    assert created.status_code == 303
    again = await create_by_form(client, csrf, file=list_csv())
    assert again.status_code == 409 and "委托书编号已登记" in again.text
    assert await HousingCheckEntrustment.count() == 1


async def test_only_supervisors_record_letters_and_forms_want_forms(db, client, people):
    csrf = await login(client, "officer_a")
    page = await client.get(f"{BASE}/", headers=HTML)
    assert page.status_code == 200 and "new-entrustment" not in page.text
    refused = await create_by_form(client, csrf, file=list_csv())
    assert refused.status_code == 403 and "只有本街道住房状况核查的负责人" in refused.text
    as_json = await client.post(
        f"{BASE}/console/entrustments", json={}, headers={"x-csrf-token": csrf, "accept": "application/json"}
    )
    assert as_json.status_code == 400 and as_json.json()["code"] == "housing_check_form_expected"
    no_token = await client.post(
        f"{BASE}/console/entrustments", data={"letter_no": "x"}, headers={"accept": "application/json"}
    )
    assert no_token.status_code == 403 and no_token.json()["code"] == "csrf_failed"
    assert await HousingCheckEntrustment.count() == 0


async def _assigned_entrustment(client) -> tuple[str, list[str]]:
    csrf = await login(client, "sup")
    created = await create_by_form(client, csrf, file=list_csv())
    entrustment = entrustment_of(created)
    await client.post(
        f"{BASE}/entrustments/{entrustment}/console/officers",
        data=form(csrf, officers="officer_a"),
        headers=HTML,
    )
    page = await client.get(f"{BASE}/entrustments/{entrustment}/console", headers=HTML)
    await client.post("/logout", data=form(csrf))
    client.cookies.clear()
    return entrustment, household_ids(page.text)


async def test_officer_records_steps_dwellings_and_issues_the_report(db, client, people):
    entrustment, (h1, h2) = await _assigned_entrustment(client)
    csrf = await login(client, "officer_a")
    here = f"{BASE}/entrustments/{entrustment}/households/{h1}"
    page = await client.get(f"{here}/console", headers=HTML)
    assert page.status_code == 200 and id_number(11) in page.text  # in full for the assigned officer
    day = (today() - timedelta(days=2)).isoformat()

    out_of_order = await client.post(
        f"{here}/console/steps",
        data=form(csrf, step="archive:resolved", date=day, finding="调档"),
        files={"data": ("凭证.pdf", b"%PDF-1.4 x", "application/pdf")},
        headers=HTML,
    )
    assert out_of_order.status_code == 400 and "须先完成电子信息比对" in out_of_order.text
    assert "调档" in out_of_order.text  # the finding typed is kept
    assert await HousingCheckStep.count() == 0 and await HousingCheckAttachment.count() == 0

    scan = b"%PDF-1.4 comparison print-out"
    electronic = await client.post(
        f"{here}/console/steps",
        data=form(csrf, step="electronic:unresolved", date=day, finding="登记系统无记录"),
        files=[
            ("data", ("比对结果.pdf", scan, "application/pdf")),
            ("data", ("附页.txt", b"p2", "text/plain")),
        ],
        headers=HTML,
    )
    assert electronic.status_code == 303 and electronic.headers["location"].endswith("?done=step")
    stored = await HousingCheckAttachment.select().order_by(HousingCheckAttachment.id)
    assert [a["sha256"] for a in stored] == [
        hashlib.sha256(scan).hexdigest(),
        hashlib.sha256(b"p2").hexdigest(),
    ]
    archive = await client.post(
        f"{here}/console/steps",
        data=form(csrf, step="archive:resolved", date=day, finding="调取公房租赁凭证"),
        headers=HTML,
    )
    assert archive.status_code == 303
    step_id = (await HousingCheckStep.select().where(HousingCheckStep.kind == "archive").first())["id"]
    empty = await client.post(
        f"{here}/console/steps/{step_id}/attachments",
        data=form(csrf),
        files={"data": ("", b"", "")},
        headers=HTML,
    )
    assert empty.status_code == 400 and "附件为空" in empty.text
    attached = await client.post(
        f"{here}/console/steps/{step_id}/attachments",
        data=form(csrf),
        files={"data": ("公房凭证.pdf", b"%PDF certificate", "application/pdf")},
        headers=HTML,
    )
    assert attached.status_code == 303 and attached.headers["location"].endswith("?done=attachment")

    for dwelling in (
        {"kind": "home", "address": "示范路1弄1号101室", "area": "38.50", "source": "测绘报告"},
        {
            "kind": "other",
            "address": "示范路2弄5号302室",
            "area": "45.25",
            "source": "权属档案",
            "holder": "李娜",
        },
        {
            "kind": "compensated",
            "address": "老城路9号",
            "area": "20.1",
            "source": "征收档案",
            "holder": "张伟",
        },
    ):
        response = await client.post(
            f"{here}/console/dwellings",
            data=form(csrf, area_type="building", from_step=str(step_id), **dwelling),
            headers=HTML,
        )
        assert response.status_code == 303, response.text
    for bad, expected in (
        ({"area": "12.345"}, "面积有误：12.345"),
        ({"area": "-1"}, "面积有误"),
        ({"area_type": "living"}, "居住面积无换算规定"),
        ({"kind": "castle"}, "住房类别有误"),
        ({"address": ""}, "“地址”不能为空"),
        ({"from_step": "99999"}, "未找到该核查步骤"),
        ({"from_step": "abc"}, "未找到该核查步骤"),
    ):
        fields = {"kind": "home", "address": "x路", "area": "10", "area_type": "building", "source": "y"}
        response = await client.post(
            f"{here}/console/dwellings", data=form(csrf, **{**fields, **bad}), headers=HTML
        )
        assert 400 <= response.status_code < 500 and expected in response.text, (bad, response.text[-2000:])
    assert await HousingCheckDwelling.count() == 3

    page = await client.get(f"{here}/console", headers=HTML)
    assert "38.50 + 45.25 + 20.1 = 103.85" in page.text and "103.85 ÷ 3 人 = 34.62" in page.text
    assert "公房凭证.pdf" in page.text

    entrustment_page = f"{BASE}/entrustments/{entrustment}/console"
    not_yet = await client.post(
        f"{BASE}/entrustments/{entrustment}/console/report", data=form(csrf), headers=HTML
    )
    assert not_yet.status_code == 400 and "申请家庭 H2 尚未完成核查" in not_yet.text
    await client.post(
        f"{BASE}/entrustments/{entrustment}/households/{h2}/console/steps",
        data=form(csrf, step="electronic:resolved", date=day, finding="比对未发现住房"),
        headers=HTML,
    )
    # 出具 closes the entrustment for good: the panel first (how many households), nothing issued
    asked = await client.post(
        f"{BASE}/entrustments/{entrustment}/console/report", data=form(csrf), headers=HTML
    )
    assert asked.status_code == 200 and 'data-code="housing_check_issue_report"' in asked.text
    assert "共 2 户" in asked.text and "不可撤销" in asked.text
    assert re.search(r"办理期限：\d{4}年\d{1,2}月\d{1,2}日；", asked.text)  # the date in words, not ISO
    assert await HousingCheckEntrustment.exists().where(HousingCheckEntrustment.status == "open")
    state = re.search(r'name="confirm_state" value="([^"]+)"', asked.text)
    assert state
    issued = await client.post(
        f"{BASE}/entrustments/{entrustment}/console/report",
        data=form(csrf, confirmed="1", confirm_state=state.group(1)),
        headers=HTML,
    )
    assert issued.status_code == 303 and issued.headers["location"] == f"{entrustment_page}?done=report"
    page = await client.get(issued.headers["location"], headers=HTML)
    assert "核查结果报告已出具" in page.text and 'id="download-report"' in page.text
    report = await client.get(f"{BASE}/entrustments/{entrustment}/report.docx")
    assert report.status_code == 200 and report.content[:2] == b"PK"
    number = f"甲街房字〔{today().year}〕1号"  # the district office's first 发文字号 this year
    assert f'<span id="report-number">{number}</span>' in page.text
    assert number in [p.text for p in Document(io.BytesIO(report.content)).paragraphs][:3]
    downloads = await AuditEntry.select().where(AuditEntry.action == "housing_check.download_report")
    assert [(d["actor"].split(":")[-1], d["target"]) for d in downloads] == [("officer_a", entrustment)]
    closed = await client.post(
        f"{here}/console/dwellings",
        data=form(csrf, kind="home", address="x", area="1", area_type="building", source="y"),
        headers=HTML,
    )
    assert closed.status_code == 409 and "已出具报告并办结" in closed.text


async def test_pages_refuse_others_and_every_read_of_personal_data_is_audited(db, client, people):
    entrustment, (h1, _) = await _assigned_entrustment(client)
    household_page = f"{BASE}/entrustments/{entrustment}/households/{h1}/console"
    await login(client, "officer_b")  # same district, not assigned
    for url in (household_page, f"{BASE}/entrustments/{entrustment}/console"):
        refused = await client.get(url, headers=HTML)
        assert refused.status_code == 403 and "您未被指派办理该核查委托" in refused.text
        assert "张伟" not in refused.text
    home = await client.get(f"{BASE}/", headers=HTML)
    assert entrustment not in home.text
    client.cookies.clear()
    await login(client, "officer_x")  # another district
    assert (await client.get(household_page, headers=HTML)).status_code == 403
    client.cookies.clear()
    await login(client, "officer_a")
    assert (
        await client.get(f"{BASE}/entrustments/{entrustment}/households/999999/console")
    ).status_code == 404
    assert (await client.get(f"{BASE}/entrustments/{entrustment}/households/x/console")).status_code == 404
    assert (await client.get(f"{BASE}/entrustments/nope/console")).status_code == 404

    client.cookies.clear()
    csrf = await login(client, "officer_a")
    before = await AuditEntry.count()
    home = await client.get(f"{BASE}/", headers=HTML)
    assert entrustment in home.text and "张伟" not in home.text  # the list holds no personal data
    await client.get(f"{BASE}/entrustments/{entrustment}/console", headers=HTML)
    await client.get(household_page, headers=HTML)
    await client.post(
        f"{BASE}/entrustments/{entrustment}/households/{h1}/console/steps",
        data=form(csrf, step="electronic:unresolved", date=today().isoformat(), finding="比对"),
        files={"data": ("a.txt", b"attachment", "text/plain")},
        headers=HTML,
    )
    attachment = (await HousingCheckAttachment.select().first())["id"]
    download = await client.get(f"{BASE}/entrustments/{entrustment}/households/{h1}/attachments/{attachment}")
    assert download.content == b"attachment"
    bad = await client.post(
        f"{BASE}/entrustments/{entrustment}/households/{h1}/console/dwellings",
        data=form(csrf, kind="home", address="x", area="bad", area_type="building", source="y"),
        headers=HTML,
    )
    assert bad.status_code == 400  # the page shown again is a read too
    entries = await AuditEntry.select().where(AuditEntry.seq > before).order_by(AuditEntry.seq)
    reads = [
        (e["action"], e["target"])
        for e in entries
        if e["action"].startswith("housing_check.") and e["actor"].endswith(":officer_a")
    ]
    target = f"{entrustment}/{h1}"
    assert reads == [
        ("housing_check.view_entrustment", entrustment),
        ("housing_check.view_household", target),
        ("housing_check.step", target),
        ("housing_check.attach", target),
        ("housing_check.download_attachment", target),
        ("housing_check.view_household", target),
    ]


async def test_no_form_input_produces_a_500(db, client, people):
    entrustment, (h1, _) = await _assigned_entrustment(client)
    csrf = await login(client, "officer_a")
    here = f"{BASE}/entrustments/{entrustment}/households/{h1}"
    routes = [
        f"{BASE}/console/entrustments",
        f"{BASE}/entrustments/{entrustment}/console/officers",
        f"{BASE}/entrustments/{entrustment}/console/report",
        f"{here}/console/steps",
        f"{here}/console/steps/1/attachments",
        f"{here}/console/steps/x/attachments",
        f"{here}/console/dwellings",
        f"{BASE}/entrustments/%00/households/-1/console/steps",
    ]
    junk = [
        {},
        {"step": "electronic"},
        {"step": ":::", "date": "2026-13-01", "finding": " "},
        {"step": "visit:resolved", "date": "yesterday", "officer": "nobody"},
        {"step": "electronic:resolved", "date": "1900-01-01", "finding": "x" * 100_000},
        {"kind": "home", "area": "1e9", "area_type": "building", "address": "x" * 400, "source": "y"},
        {"kind": "home", "area": "NaN", "area_type": "", "from_step": "9" * 40},
        {"officers": "officer_x", "people": "\x00\x01", "received_on": "２０２６-01-01", "scheme": "<b>"},
    ]
    for url in routes:
        for fields in junk:
            for files in (None, {"data": ("x.xlsx", b"PK\x03\x04broken", "application/octet-stream")}):
                response = await client.post(url, data=form(csrf, **fields), files=files, headers=HTML)
                assert 300 <= response.status_code < 500, (
                    url,
                    fields,
                    response.status_code,
                    response.text[-500:],
                )
        raw = await client.post(
            url,
            content=b"\xff\xfe--junk",
            headers={"x-csrf-token": csrf, "content-type": "multipart/form-data"},
        )
        assert 400 <= raw.status_code < 500, (url, raw.status_code, raw.text[-300:])


async def test_a_mistaken_dwelling_is_withdrawn_with_a_reason_and_an_officer_unassigned(db, client, people):
    """Corrections while the entrustment is open: a dwelling entered by mistake is removed with a reason
    (the audit log keeps what it was), and a supervisor takes an officer off — who then loses access."""
    entrustment, (h1, _) = await _assigned_entrustment(client)
    csrf = await login(client, "officer_a")
    here = f"{BASE}/entrustments/{entrustment}/households/{h1}"
    fields = {
        "kind": "other",
        "address": "错录路1号",
        "area": "50",
        "area_type": "building",
        "source": "误录",
    }
    added = await client.post(f"{here}/console/dwellings", data=form(csrf, **fields), headers=HTML)
    assert added.status_code == 303
    dwelling = str((await HousingCheckDwelling.select().first())["id"])
    page = await client.get(f"{here}/console", headers=HTML)
    assert 'class="inline withdraw"' in page.text

    no_reason = await client.post(
        f"{here}/console/withdraw", data=form(csrf, dwelling=dwelling, reason=" "), headers=HTML
    )
    assert no_reason.status_code == 400 and "请填写删除理由" in no_reason.text
    unknown = await client.post(
        f"{here}/console/withdraw", data=form(csrf, dwelling="99999", reason="录入有误"), headers=HTML
    )
    assert unknown.status_code == 404 and "未找到该住房记录" in unknown.text
    assert await HousingCheckDwelling.count() == 1
    done = await client.post(
        f"{here}/console/withdraw", data=form(csrf, dwelling=dwelling, reason="地址录入有误"), headers=HTML
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?done=withdraw")
    assert await HousingCheckDwelling.count() == 0
    entry = await AuditEntry.select().where(AuditEntry.action == "housing_check.withdraw_dwelling").first()
    assert "地址录入有误" in str(entry["details"]) and "错录路1号" in str(entry["details"])
    again = await client.post(
        f"{BASE}/entrustments/{entrustment}/households/{h1}/dwellings/{dwelling}/withdraw",
        json={"reason": "再删"},
        headers={"x-csrf-token": csrf},
    )
    assert again.status_code == 404 and again.json()["code"] == "housing_check_dwelling_not_found"
    officer_cannot = await client.delete(
        f"{BASE}/entrustments/{entrustment}/officers/officer_a", headers={"x-csrf-token": csrf}
    )
    assert officer_cannot.status_code == 403

    await client.post("/logout", data=form(csrf))
    client.cookies.clear()
    csrf = await login(client, "sup")
    entrustment_page = f"{BASE}/entrustments/{entrustment}/console"
    assert 'class="inline unassign"' in (await client.get(entrustment_page, headers=HTML)).text
    stranger = await client.post(
        f"{entrustment_page}/unassign", data=form(csrf, username="officer_b"), headers=HTML
    )
    assert stranger.status_code == 404 and "officer_b 未被指派办理本委托" in stranger.text
    removed = await client.post(
        f"{entrustment_page}/unassign", data=form(csrf, username="officer_a"), headers=HTML
    )
    assert removed.status_code == 303 and removed.headers["location"].endswith("?done=unassign")
    assert await AuditEntry.exists().where(
        (AuditEntry.action == "housing_check.unassign") & (AuditEntry.target == entrustment)
    )

    await client.post("/logout", data=form(csrf))
    client.cookies.clear()
    await login(client, "officer_a")
    assert (await client.get(f"{here}/console", headers=HTML)).status_code == 403


async def test_a_second_letter_with_the_same_number_warns_and_may_still_be_created(db, client, people):
    csrf = await login(client, "sup")
    lines = f"H1 张伟 {id_number(11)} 申请人"
    first = await create_by_form(client, csrf, people=lines)
    assert first.status_code == 303
    number = letter(today().isoformat())["letter_no"]
    # the same office and number: refused outright, as before
    same = await create_by_form(client, csrf, people=lines)
    assert same.status_code == 409 and "委托书编号已登记" in same.text
    # another office, the same number: a warning naming the first, with 仍然创建, nothing saved yet
    other = {"entrusting_office": "示范区住房保障中心"}
    warned = await create_by_form(client, csrf, people=lines, **other)
    assert warned.status_code == 409 and 'data-code="housing_check_same_letter_no"' in warned.text
    assert f"委托书编号 {number} 已登记过" in warned.text and "仍然创建" in warned.text
    assert await HousingCheckEntrustment.count() == 1
    assert 'name="people"' in warned.text  # the typed list travels with the panel
    created = await create_by_form(client, csrf, people=lines, confirmed="1", **other)
    assert created.status_code == 303 and await HousingCheckEntrustment.count() == 2
    # with a file, the panel asks for it again (a browser keeps no chosen file)
    warned_file = await create_by_form(client, csrf, file=list_csv(), entrusting_office="第三家单位")
    assert warned_file.status_code == 409 and 'id="confirm-file-data"' in warned_file.text
    assert 'enctype="multipart/form-data"' in warned_file.text
