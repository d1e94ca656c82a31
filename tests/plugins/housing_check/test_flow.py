"""The whole check over HTTP on both databases: import the list, assign, record the steps in the
seed's order with an attachment, dwellings, the computation, and the report opened with python-docx
and converted by LibreOffice."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date, timedelta

from docx import Document

from core.data.tables import AuditEntry
from core.documents.render import docx_to_pdf, find_soffice
from core.testing import login, office_today, require
from tests.plugins.housing_check.conftest import id_number, letter, list_csv

BASE = "/d/alpha/housing_check"


def today() -> date:
    return office_today()


async def import_list(client, csrf: str, received: date, content: bytes | None = None, **fields: str):
    data = {**letter(received.isoformat()), **fields}
    return await client.post(
        f"{BASE}/entrustments/import",
        data=data,
        files={"data": ("名单.csv", list_csv() if content is None else content, "text/csv")},
        headers={"x-csrf-token": csrf},
    )


async def test_full_check_and_report(db, client, people, tmp_path):
    received = today() - timedelta(days=7)
    csrf = await login(client, "sup")
    headers = {"x-csrf-token": csrf}
    created = await import_list(client, csrf, received)
    assert created.status_code == 201, created.text
    body = created.json()
    entrustment = body["entrustment"]
    assert body["households"] == 2 and body["status"] == "open"
    assert body["due_on"] > received.isoformat()
    assigned = await client.post(
        f"{BASE}/entrustments/{entrustment}/officers", json={"officers": ["officer_a"]}, headers=headers
    )
    assert assigned.status_code == 200, assigned.text
    assert [o["username"] for o in assigned.json()["officers"]] == ["officer_a"]
    # the household list masks ID numbers
    detail = (await client.get(f"{BASE}/entrustments/{entrustment}")).json()
    first = detail["household_list"][0]
    assert first["applicant"] == "张伟" and first["applicant_id"] == "*" * 14 + id_number(11)[-4:]
    assert id_number(11) not in json.dumps(detail, ensure_ascii=False)
    await client.post("/logout", headers=headers)

    csrf = await login(client, "officer_a")
    headers = {"x-csrf-token": csrf}
    h1, h2 = (h["household"] for h in detail["household_list"])
    step_url = f"{BASE}/entrustments/{entrustment}/households/{h1}/steps"
    day = (received + timedelta(days=1)).isoformat()
    early = await client.post(
        step_url,
        json={"kind": "archive", "date": day, "result": "resolved", "finding": "调档"},
        headers=headers,
    )
    assert early.status_code == 400 and early.json()["code"] == "housing_check_step_order_archive"
    electronic = await client.post(
        step_url,
        json={
            "kind": "electronic",
            "date": day,
            "result": "unresolved",
            "finding": "登记系统无记录，公房系统有租赁记录",
        },
        headers=headers,
    )
    assert electronic.status_code == 201, electronic.text
    archive = await client.post(
        step_url,
        json={
            "kind": "archive",
            "date": day,
            "result": "resolved",
            "finding": "调取租用居住公房凭证及测绘报告",
        },
        headers=headers,
    )
    assert archive.status_code == 201
    scan = b"%PDF-1.4 fake scan of the tenancy certificate"
    attached = await client.post(
        f"{step_url}/{archive.json()['step']}/attachments",
        files={"data": ("公房凭证.pdf", scan, "application/pdf")},
        headers=headers,
    )
    assert attached.status_code == 201 and attached.json()["sha256"] == hashlib.sha256(scan).hexdigest()
    dwelling_url = f"{BASE}/entrustments/{entrustment}/households/{h1}/dwellings"
    for dwelling in (
        {
            "kind": "home",
            "address": "示范路1弄1号101室",
            "area": "38.50",
            "area_type": "building",
            "source": "测绘报告",
        },
        {
            "kind": "other",
            "address": "示范路2弄5号302室",
            "area": "45.25",
            "area_type": "building",
            "source": "权属档案",
            "holder": "李娜",
        },
        {
            "kind": "compensated",
            "address": "老城路9号",
            "area": "20.1",
            "area_type": "building",
            "source": "征收档案",
            "holder": "张伟",
        },
    ):
        response = await client.post(dwelling_url, json=dwelling, headers=headers)
        assert response.status_code == 201, response.text
    bad_area = await client.post(
        dwelling_url,
        json={"kind": "home", "address": "x", "area": "12.345", "area_type": "building", "source": "y"},
        headers=headers,
    )
    assert bad_area.status_code == 400 and bad_area.json()["code"] == "housing_check_bad_area"
    household = (await client.get(f"{BASE}/entrustments/{entrustment}/households/{h1}")).json()
    assert household["members"][0]["id_number"] == id_number(11)  # the assigned officer sees it in full
    assert household["computation"]["total"] == "103.85"
    assert household["computation"]["per_person"] == "34.62"
    download = await client.get(
        f"{BASE}/entrustments/{entrustment}/households/{h1}/attachments/{attached.json()['attachment']}"
    )
    assert download.status_code == 200 and download.content == scan

    not_yet = await client.post(f"{BASE}/entrustments/{entrustment}/report", headers=headers)
    assert not_yet.status_code == 400 and not_yet.json()["code"] == "housing_check_household_unchecked"
    settled = await client.post(
        f"{BASE}/entrustments/{entrustment}/households/{h2}/steps",
        json={"kind": "electronic", "date": day, "result": "resolved", "finding": "比对未发现住房"},
        headers=headers,
    )
    assert settled.status_code == 201
    issued = await client.post(f"{BASE}/entrustments/{entrustment}/report", headers=headers)
    assert issued.status_code == 201, issued.text
    assert issued.json()["status"] == "reported" and issued.json()["met_deadline"] is True
    closed = await client.post(
        dwelling_url,
        json={"kind": "home", "address": "x", "area": "1", "area_type": "building", "source": "y"},
        headers=headers,
    )
    assert closed.status_code == 409 and closed.json()["code"] == "housing_check_closed"

    report = await client.get(f"{BASE}/entrustments/{entrustment}/report.docx")
    assert report.status_code == 200
    assert hashlib.sha256(report.content).hexdigest() == issued.json()["sha256"]
    document = Document(io.BytesIO(report.content))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "住房状况核查结果报告" in text and "甲街道住房保障实施机构" in text
    assert "申请人张伟家庭" in text and "申请人王芳家庭" in text
    assert "38.50 + 45.25 + 20.1 = 103.85" in text and "103.85 ÷ 3 人 = 34.62" in text
    assert "核查人员：Officer_A" in text and "按期" in text
    assert (
        "李娜" in tables
        and id_number(12, "19820202") not in tables
        and id_number(12, "19820202")[-4:] in tables
    )
    assert round(document.sections[0].top_margin.mm) == 37
    require(find_soffice() is not None, "LibreOffice is not installed")
    assert docx_to_pdf(report.content, tmp_path / "pdf").stat().st_size > 0

    # every read of personal data is in the audit log
    actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.seq)]
    for action in (
        "housing_check.entrustment_create",
        "housing_check.assign",
        "housing_check.view_entrustment",
        "housing_check.view_household",
        "housing_check.download_attachment",
        "housing_check.report",
        "housing_check.download_report",
    ):
        assert action in actions, action

    listed = (await client.get(f"{BASE}/entrustments")).json()
    assert listed[0]["status"] == "reported" and listed[0]["state"] == "按期"
    page = await client.get(f"{BASE}/")
    assert page.status_code == 200 and entrustment in page.text


async def test_console_entry_as_json(db, client, people):
    csrf = await login(client, "sup")
    payload = {
        **letter(today().isoformat(), "沪保委〔2026〕20号", "shared_ownership"),
        "households": [
            {
                "household_no": "A1",
                "members": [{"name": "赵六", "id_number": id_number(31), "relation": "申请人"}],
            }
        ],
    }
    created = await client.post(f"{BASE}/entrustments", json=payload, headers={"x-csrf-token": csrf})
    assert created.status_code == 201, created.text
    again = await client.post(f"{BASE}/entrustments", json=payload, headers={"x-csrf-token": csrf})
    assert again.status_code == 409 and again.json()["code"] == "housing_check_duplicate_letter"
    payload["letter_no"] = "X-2"
    payload["households"][0]["members"][0]["relation"] = "配偶"
    invalid = await client.post(f"{BASE}/entrustments", json=payload, headers={"x-csrf-token": csrf})
    assert (
        invalid.status_code == 422
        and invalid.json()["details"][0]["code"] == "housing_check_row_no_applicant"
    )
    garbage = await client.post(f"{BASE}/entrustments", content=b"{", headers={"x-csrf-token": csrf})
    assert garbage.status_code == 400


async def test_a_wrong_entrustment_body_is_validation_failed_with_its_field(db, client, people):
    """The letter is decoded as ``EntrustmentIn`` (OpenAPI shows it); every wrong body stays
    ``validation_failed``, malformed JSON included, now with the field's JSON path and words."""
    headers = {"x-csrf-token": await login(client, "sup")}
    member = {"name": "赵六", "id_number": id_number(31), "relation": "申请人"}
    payload = {**letter(today().isoformat()), "households": [{"household_no": "A1", "members": [member]}]}
    wrong = [
        (
            {**payload, "households": [{"household_no": "A1", "members": [{**member, "name": 7}]}]},
            "households[0].members[0].name",
            "应为文字",
        ),
        ({k: v for k, v in payload.items() if k != "letter_no"}, "letter_no", "缺少此项"),
        ({**payload, "households": {}}, "households", "应为列表"),
    ]
    for body, field, words in wrong:
        response = await client.post(f"{BASE}/entrustments", json=body, headers=headers)
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "validation_failed"
        assert response.json()["details"] == {"field": field}
        assert field in response.json()["message"] and words in response.json()["message"]
    for raw in (b"{", b"", b"[]"):
        garbage = await client.post(
            f"{BASE}/entrustments", content=raw, headers={**headers, "content-type": "application/json"}
        )
        assert garbage.status_code == 400 and garbage.json()["code"] == "validation_failed", raw
        assert garbage.json()["details"] == {"field": "$"}
    assert (await client.get(f"{BASE}/entrustments")).json() == []
