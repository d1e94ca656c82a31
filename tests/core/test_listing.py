"""Console lists: search, filters, sort and pages from the query string; a stale or tampered URL
falls back to the defaults instead of failing."""

from __future__ import annotations

from datetime import date, timedelta

from core.web.listing import ListColumn, ListFilter, list_view

COLUMNS = (ListColumn("title", "会议", searchable=True), ListColumn("day", "日期"), ListColumn("n", "户数"))
STATUS = ListFilter("status", "状态", (("open", "表决中"), ("sealed", "已封存")))
ROWS = [
    {
        "title": f"{'示范花园' if i % 2 else '阳光小区'}第{i}次会议",
        "day": date(2026, 1, 1) + timedelta(days=i),
        "n": i * 10 if i != 7 else None,
        "status": "open" if i % 3 else "sealed",
    }
    for i in range(1, 46)
]


def test_pages_of_twenty_newest_first_with_links_that_keep_the_state():
    listing = list_view(ROWS, {}, columns=COLUMNS, filters=(STATUS,), default_sort="-day")
    assert (listing.total, listing.matched, listing.pages, len(listing.rows)) == (45, 45, 3, 20)
    assert listing.rows[0]["day"] == date(2026, 2, 15) and listing.summary == "第 1–20 条，共 45 条"
    last = list_view(ROWS, {"page": "3"}, columns=COLUMNS, filters=(STATUS,), default_sort="-day")
    assert len(last.rows) == 5 and last.summary == "第 41–45 条，共 45 条"
    assert last.url(page=2) == "?sort=-day&page=2" and last.sort_url("day") == "?sort=day"
    assert last.sort_state("day") == "descending" and last.sort_mark("day") == "▼"


def test_search_filter_and_sort_together():
    params = {"q": "示范", "status": "sealed", "sort": "n"}
    listing = list_view(ROWS, params, columns=COLUMNS, filters=(STATUS,), default_sort="-day")
    assert all("示范" in r["title"] and r["status"] == "sealed" for r in listing.rows)
    assert [r["n"] for r in listing.rows] == [30, 90, 150, 210, 270, 330, 390, 450]
    assert listing.narrowed and "符合条件的 8 条" in listing.summary
    assert listing.clear_url == "?sort=n"
    missing_last = list_view(ROWS, {"sort": "-n"}, columns=COLUMNS, default_sort="day", per_page=50)
    assert missing_last.rows[-1]["n"] is None  # an empty value sorts last either way


def test_a_tampered_url_falls_back_to_the_defaults():
    for params in (
        {"sort": "password_hash"},
        {"page": "-3"},
        {"page": "x"},
        {"page": "999"},
        {"status": "'; drop"},
    ):
        listing = list_view(ROWS, params, columns=COLUMNS, filters=(STATUS,), default_sort="-day")
        assert listing.rows and listing.sort == "day"
    assert list_view(ROWS, {"page": "999"}, columns=COLUMNS, default_sort="-day").page == 3
    assert list_view([], {}, columns=COLUMNS, default_sort="day").summary == "暂无记录"
    nothing = list_view(ROWS, {"q": "不存在"}, columns=COLUMNS, default_sort="day")
    assert nothing.summary == "共 45 条，没有符合条件的记录" and nothing.pages == 1
    assert (
        list_view(ROWS, {"prefix.q": "阳光"}, columns=COLUMNS, default_sort="day", prefix="prefix.").matched
        == 22
    )
