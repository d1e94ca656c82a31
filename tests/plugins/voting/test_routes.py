"""The voting plugin over HTTP and the CLI: upload a register, create and publish a meeting."""

from __future__ import annotations

import json

from core.testing import login, wuye_command, wuye_env
from tests.plugins.voting.conftest import encode, meeting_file, register_csv


async def test_console_flow_over_http(db, client, estate, staff_factory):
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    headers = {"x-csrf-token": csrf}
    page = await client.get("/d/alpha/voting/")
    assert page.status_code == 200 and "业主名册" in page.text

    bad = await client.post(
        "/d/alpha/voting/estates/E1/register",
        files={"data": ("r.csv", register_csv(["1-101,0,register,O1,张三,C1,0"]), "text/csv")},
        headers=headers,
    )
    assert bad.status_code == 422 and bad.json()["code"] == "voting_register_invalid"
    assert bad.json()["details"][0]["row"] == 2

    good = await client.post(
        "/d/alpha/voting/estates/E1/register",
        files={"data": ("r.csv", register_csv(), "text/csv")},
        headers=headers,
    )
    assert good.status_code == 201 and good.json()["units"] == 7

    created = await client.post(
        "/d/alpha/voting/estates/E1/meetings", content=encode(meeting_file()), headers=headers
    )
    assert created.status_code == 201, created.text
    meeting = created.json()["meeting"]
    published = await client.post(f"/d/alpha/voting/meetings/{meeting}/publish", headers=headers)
    assert published.status_code == 200 and published.json()["voters"] == 4
    listed = await client.get("/d/alpha/voting/meetings")
    assert [m["meeting"] for m in listed.json()] == [meeting]
    page = await client.get("/d/alpha/voting/")
    assert "已发布" in page.text


async def test_committee_members_may_look_but_not_import(db, client, estate, staff_factory):
    await staff_factory("member", "committee_member", "alpha", "E1")
    csrf = await login(client, "member")
    response = await client.post(
        "/d/alpha/voting/estates/E1/register",
        files={"data": ("r.csv", register_csv(), "text/csv")},
        headers={"x-csrf-token": csrf},
    )
    assert response.status_code == 403


async def test_cli_register_meeting_publish(db, estate, tmp_path):
    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))
    (tmp_path / "r.csv").write_bytes(register_csv())
    (tmp_path / "bad.csv").write_bytes(
        register_csv(["1-101,-1,register,O1,张三,C1,0", "1-101,1,x,O1,张三,C1,0"])
    )
    (tmp_path / "m.json").write_bytes(encode(meeting_file()))
    bad = wuye_command(
        "voting", "register", "import", "-e", "E1", str(tmp_path / "bad.csv"), env=env, check=False
    )
    assert (
        bad.returncode == 2
        and "第 2 行" in bad.stderr
        and "第 3 行" in bad.stderr
        and "Traceback" not in bad.stderr
    )
    ok = wuye_command("voting", "register", "import", "-e", "E1", str(tmp_path / "r.csv"), "--json", env=env)
    assert json.loads(ok.stdout)["units"] == 7
    created = json.loads(
        wuye_command(
            "voting", "meeting", "create", "-e", "E1", str(tmp_path / "m.json"), "--json", env=env
        ).stdout
    )
    published = json.loads(
        wuye_command("voting", "meeting", "publish", created["meeting"], "--json", env=env).stdout
    )
    assert published["status"] == "published" and published["voters"] == 4
    missing = wuye_command("voting", "meeting", "publish", "nope", env=env, check=False)
    assert missing.returncode == 2 and "未找到该表决会议" in missing.stderr


async def test_printing_over_http_returns_the_sheets_once(db, client, estate, staff_factory):
    import io

    from docx import Document

    from plugins.voting.tables import VotingCredential

    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    headers = {"x-csrf-token": csrf}
    await client.post(
        "/d/alpha/voting/estates/E1/register",
        files={"data": ("r.csv", register_csv(), "text/csv")},
        headers=headers,
    )
    meeting = (
        await client.post(
            "/d/alpha/voting/estates/E1/meetings", content=encode(meeting_file()), headers=headers
        )
    ).json()["meeting"]
    early = await client.post(f"/d/alpha/voting/meetings/{meeting}/ballots", json={}, headers=headers)
    assert early.status_code == 400 and early.json()["code"] == "voting_ballots_not_published"
    await client.post(f"/d/alpha/voting/meetings/{meeting}/publish", headers=headers)
    printed = await client.post(f"/d/alpha/voting/meetings/{meeting}/ballots", json={}, headers=headers)
    assert printed.status_code == 200
    assert len(Document(io.BytesIO(printed.content)).inline_shapes) == 4
    assert await VotingCredential.count() == 4
    again = await client.post(f"/d/alpha/voting/meetings/{meeting}/ballots", json={}, headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "voting_ballots_exist"
    one = await client.post(
        f"/d/alpha/voting/meetings/{meeting}/ballots", json={"voters": [3]}, headers=headers
    )
    assert one.status_code == 200 and len(Document(io.BytesIO(one.content)).inline_shapes) == 1
    page = await client.get(f"/d/alpha/voting/meetings/{meeting}/console")
    assert page.status_code == 200 and "已印制 4 / 4" in page.text


async def test_a_wrong_meeting_file_over_http_names_its_field(db, client, estate, staff_factory):
    await staff_factory("officer_a", "district_officer", "alpha")
    headers = {"x-csrf-token": await login(client, "officer_a")}
    url = "/d/alpha/voting/estates/E1/meetings"
    data = meeting_file()
    data["motions"][0]["kind"] = "referendum"
    json_headers = {**headers, "content-type": "application/json"}
    wrong = await client.post(url, content=encode(data), headers=json_headers)
    assert wrong.status_code == 400 and wrong.json()["code"] == "voting_meeting_file"
    assert wrong.json()["details"] == {"field": "motions[0].kind"}
    broken = await client.post(url, content=b"{", headers=json_headers)
    assert broken.status_code == 400 and broken.json()["code"] == "voting_meeting_file"
    schema = (await client.get("/schema/openapi.json")).json()
    body = schema["paths"]["/d/{district}/voting/estates/{estate}/meetings"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("MeetingIn")
