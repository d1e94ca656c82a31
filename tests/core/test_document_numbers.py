"""发文字号: sequential per district, office and year; the same document keeps its number; concurrent
issues never share one (both databases)."""

from __future__ import annotations

import asyncio

from core.district_services import add_district
from core.documents.numbers import allocate, office_prefix
from core.documents.people import display_name
from core.identity.staff import create_staff


async def test_numbers_run_per_office_and_year_and_stick_to_their_document(db):
    alpha = await add_district(db, "test", "alpha", "示范街道")
    beta = await add_district(db, "test", "beta", "乙镇")
    office = office_prefix(alpha.name)
    assert office == "示范街房字" and office_prefix(beta.name) == "乙镇房字"
    first = await allocate(alpha.id, "housing_check.report", "hc-1", office=office, year=2026)
    second = await allocate(alpha.id, "housing_check.report", "hc-2", office=office, year=2026)
    assert (first, second) == ("示范街房字〔2026〕1号", "示范街房字〔2026〕2号")
    again = await allocate(alpha.id, "housing_check.report", "hc-1", office=office, year=2027)
    assert again == first  # re-issued (re-downloaded) next year: the number it was issued with
    assert await allocate(alpha.id, "group_rental.escalation", "QZ-1", office=office, year=2027) == (
        "示范街房字〔2027〕1号"
    )
    assert await allocate(alpha.id, "voting.result", "m1", office="示范花园业字", year=2026) == (
        "示范花园业字〔2026〕1号"
    )
    assert await allocate(beta.id, "housing_check.report", "hc-1", office="乙镇房字", year=2026) == (
        "乙镇房字〔2026〕1号"
    )


async def test_concurrent_issues_get_distinct_numbers(db):
    alpha = await add_district(db, "test", "alpha", "示范街道")
    numbers = await asyncio.gather(
        *(allocate(alpha.id, "voting.result", f"m{i}", office="甲业字", year=2026) for i in range(6))
    )
    assert sorted(numbers) == sorted(f"甲业字〔2026〕{i}号" for i in range(1, 7))


async def test_documents_name_people_not_audit_labels(db):
    staff = await create_staff("test", "wang", "王办事员", "a-long-password-2026")
    assert await display_name(f"staff:{staff}:wang") == "王办事员"
    assert await display_name("cli:wang") == "王办事员"
    assert await display_name("cli:demo") == "系统管理员"
    assert await display_name("demo:沈计票") == "沈计票"
    assert await display_name("周监票") == "周监票"
