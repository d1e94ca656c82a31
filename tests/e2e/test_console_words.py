"""No console page shows a code to a person (issue #17 point 5): every page reachable from the
console of the demo district, as an officer, the district administrator and the checker, is read
as a person reads it (text, buttons, placeholders; not ``<code>`` or the folded 技术细节) and must
hold no snake_case identifier, no audit-log actor label (``cli:demo``), no field path
(``timetable.notice_date``) and none of the platform's own codes (profiles, duties, roles, statuses,
matter types)."""

from __future__ import annotations

import re

import httpx

from core.cli.demo import DEMO_ACCOUNTS
from core.identity.auth import ROLES
from plugins.voting.schemas import MATTER_TITLES
from tests.e2e.console_words import codes_in, crawl, read

#: Login names are identifiers people type; the demo's checker is called ``checker``.
USERNAMES = {"checker"}
STATUSES = {"draft", "published", "open", "closed", "sealed", "served", "determined", "rectified", "reported"}
DUTIES = {"voting", "housing_check", "group_rental"}


def logged_in(base: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, follow_redirects=True, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1), "next": "/console"},
    )
    assert answer.status_code == 200 and "/login" not in str(answer.url), username
    return client


def test_no_console_page_shows_a_code(live_server):
    passwords = {a[0]: a[2] for a in DEMO_ACCOUNTS}
    passwords["checker"] = "wuye-checker-2026"
    found: dict[str, list[str]] = {}
    crawled = 0
    for username in ("officer", "manager", "checker"):
        client = logged_in(live_server, username, passwords[username])
        try:
            profiles = {p["code"] for p in client.get("/api/jurisdictions").json()}
            words = (profiles | set(ROLES) | set(MATTER_TITLES) | STATUSES | DUTIES) - USERNAMES
            pages = crawl(client, ["/console", "/d/demo", "/d/demo/staff/"])
        finally:
            client.close()
        crawled += len(pages)
        for path, text in pages.items():
            if codes := codes_in(text, words):
                found[f"{username} {path}"] = codes
    assert crawled >= 25, crawled
    assert not found, "\n".join(f"{page}: {codes}" for page, codes in sorted(found.items()))


def test_the_reader_finds_codes_and_skips_what_is_folded_away():
    html = (
        "<h1>会议</h1><p>类型 hire_firm，由 cli:demo 生成，字段 timetable.notice_date，规则 national</p>"
        '<input placeholder="staff:3:demo"><code>wuye verify bundle.zip</code>'
        "<details><summary>技术细节（供核验人员）</summary><p>root_hash ab12</p></details>"
        "<details><summary>更多</summary><p>still_read</p></details><p>编号 DEMO-001，SHA-256</p>"
    )
    text, _ = read(html)
    assert codes_in(text, {"national"}) == sorted(
        {"hire_firm", "cli:demo", "staff:3:demo", "timetable.notice_date", "national", "still_read"}
    )
    assert "wuye verify" not in text and "root_hash" not in text
