"""Pure rules: ID numbers, the seed's order of steps, and the area computation in exact decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import BadRequest
from plugins.housing_check.rules import AreaRules, Dwelling, check_step, compute, parse_area, valid_id_number
from plugins.jurisdictions.national import NATIONAL
from plugins.jurisdictions.shanghai import SHANGHAI_2020
from tests.plugins.housing_check.conftest import id_number


def test_id_numbers():
    good = id_number(11)
    assert valid_id_number(good) and valid_id_number(good.lower())
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert not valid_id_number(wrong_check)
    assert not valid_id_number("31010119800101001")  # 17 characters
    assert not valid_id_number("")


def test_areas_are_exact():
    assert parse_area("56.78") == Decimal("56.78")
    for bad in ("0", "-3", "1e3", "56.789", "abc", "", "56,7"):
        assert parse_area(bad) is None


def test_steps_follow_the_seed_order():
    check_step("electronic", "resolved", [])
    with pytest.raises(BadRequest) as archive_first:
        check_step("archive", "resolved", [])
    assert archive_first.value.code == "housing_check_step_order_archive"
    with pytest.raises(BadRequest):  # the comparison settled it: no archive retrieval
        check_step("archive", "resolved", [{"kind": "electronic", "result": "resolved"}])
    check_step("archive", "incomplete", [{"kind": "electronic", "result": "unresolved"}])
    with pytest.raises(BadRequest) as visit_early:
        check_step("visit", "resolved", [{"kind": "electronic", "result": "unresolved"}])
    assert visit_early.value.code == "housing_check_step_order_visit"
    check_step(
        "visit",
        "resolved",
        [{"kind": "electronic", "result": "unresolved"}, {"kind": "archive", "result": "none"}],
    )
    with pytest.raises(BadRequest) as bad:
        check_step("visit", "unresolved", [])
    assert bad.value.code == "housing_check_bad_result"
    with pytest.raises(BadRequest):
        check_step("guess", "resolved", [])


HOME = Dwelling("home", "示范路1弄1号101室", Decimal("38.50"), "building", "不动产登记信息")
SECOND = Dwelling("other", "示范路2弄5号302室", Decimal("45.25"), "building", "权属档案", "李娜")
COMPENSATED = Dwelling("compensated", "老城路9号（已征收）", Decimal("20.1"), "building", "征收档案", "张伟")


def test_second_home_and_cash_compensated_home_count():
    result = compute("shared_ownership", [HOME, SECOND, COMPENSATED], 3, AreaRules.from_profile(NATIONAL))
    assert result.total == Decimal("103.85")
    assert result.per_person == Decimal("34.62")  # 103.85 / 3 = 34.6166…
    assert not result.per_person_exact
    text = "\n".join(result.steps)
    assert "38.50 + 45.25 + 20.1 = 103.85" in text
    assert "103.85 ÷ 3 人 = 34.62" in text and "四舍五入" in text
    assert "征收（拆迁）货币补偿的原住房" in text and "他处住房" in text


def test_exact_per_person_is_not_marked_rounded():
    result = compute("low_rent", [HOME], 2, AreaRules({"low_rent": "building"}))
    assert result.per_person == Decimal("19.25") and result.per_person_exact
    assert "四舍五入" not in result.steps[-1]


def test_profile_area_type_and_conversion():
    # Shanghai counts living area for low-rent housing and gives no conversion: building area refused
    rules = AreaRules.from_profile(SHANGHAI_2020)
    assert rules.basis["low_rent"] == "living"
    with pytest.raises(BadRequest) as refused:
        compute("low_rent", [HOME], 3, rules)
    assert refused.value.code == "housing_check_no_conversion"
    # a profile that converts building to living area by an exact factor
    converting = AreaRules({"low_rent": "living"}, {"building->living": "0.6"}, "测试规则")
    living = Dwelling("other", "甲路1号", Decimal("10.00"), "living", "测绘报告")
    result = compute("low_rent", [HOME, living], 2, converting)
    assert result.counted[0][1] == Decimal("23.1")
    assert result.total == Decimal("33.1") and result.per_person == Decimal("16.55")
    assert "38.50 × 0.6 = 23.100 平方米" in result.steps[1]


def test_no_dwellings_found():
    result = compute("low_rent", [], 4, AreaRules.from_profile(NATIONAL))
    assert result.total == 0 and result.per_person == Decimal("0.00")
