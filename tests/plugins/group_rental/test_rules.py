"""The determination engine: every criterion at and around its boundary, the exceptions and refusals."""

from __future__ import annotations

import pytest

from core.errors import WuyeError
from plugins.group_rental.rules import GroupRentalRules, assess, parse_flat
from plugins.jurisdictions.beijing import BEIJING
from plugins.jurisdictions.national import NATIONAL
from plugins.jurisdictions.shanghai import SHANGHAI_2020, SHANGHAI_SEED
from tests.plugins.group_rental.conftest import flat, room

SH = GroupRentalRules.from_profile(SHANGHAI_2020)


def run(data: dict, rules: GroupRentalRules = SH):
    return assess(parse_flat(data), rules)


def criteria(data: dict, rules: GroupRentalRules = SH) -> list[int]:
    return [f.criterion for f in run(data, rules).findings]


def test_a_lawful_flat_is_not_a_group_rental():
    result = run(flat(room(area="10.00", occupants=2), room("次卧", area="5.00", occupants=1)))
    assert not result.group_rental and result.findings == () and result.exceptions == ()


# criterion 1 ---------------------------------------------------------------------------------------
def test_collective_dormitory_is_criterion_1_for_the_whole_flat():
    result = run(flat(room(), dormitory=True))
    assert [(f.criterion, f.room) for f in result.findings] == [(1, None)]
    assert "认定标准第1项" in result.findings[0].article


def test_beijing_and_national_do_not_list_the_dormitory_test():
    for profile in (BEIJING, NATIONAL):
        assert criteria(flat(room(), dormitory=True), GroupRentalRules.from_profile(profile)) == []


# criterion 2 ---------------------------------------------------------------------------------------
def test_partitioned_bedroom_and_letting_by_the_bed():
    assert criteria(flat(room(partitioned=True))) == [2]
    assert criteria(flat(room(let_by_bed=True))) == [2]
    assert criteria(flat(room(partitioned=True, let=False))) == []  # not let: nothing to determine


def test_partitioned_dining_room_or_hall_is_never_excepted():
    for use in ("dining", "hall"):
        result = run(
            flat(room("餐厅", use, "20.00", partitioned=True, daylight=True, ventilation=True), agency=True)
        )
        assert [f.criterion for f in result.findings] == [2]
        assert "不适用客厅分隔例外" in result.findings[0].detail
        assert result.exceptions == ()


# criterion 3 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("use", ["kitchen", "bathroom", "balcony", "basement_storage"])
def test_non_living_spaces_let_for_living(use):
    result = run(flat(room("x", use, "30.00", 1)))
    assert [f.criterion for f in result.findings] == [3]
    assert criteria(flat(room("x", use, "30.00", 1, let=False))) == []


# criterion 4: strictly below 5 m² per person --------------------------------------------------------
@pytest.mark.parametrize(
    ("area", "occupants", "breach"),
    [
        ("5.00", 1, False),  # exactly 5: lawful (低于 excludes the number)
        ("4.99", 1, True),
        ("5.01", 1, False),
        ("10.00", 2, False),
        ("9.99", 2, True),
        ("15.00", 3, False),  # 5.00 each (but criterion 5 applies)
        ("14.99", 3, True),
    ],
)
def test_area_per_person_boundary(area, occupants, breach):
    result = run(flat(room(area=area, occupants=occupants, occupants_family=True)))
    assert (4 in [f.criterion for f in result.findings]) is breach
    if breach:
        finding = next(f for f in result.findings if f.criterion == 4)
        assert finding.values["usable_area_m2"] == area and finding.values["min_area_per_person_m2"] == "5.00"
        assert "认定标准第4项" in finding.article


def test_area_is_compared_exactly_not_in_floats():
    # 0.1 + 0.2 style trouble: 15.00 / 3 is exactly 5 and must not be "below".
    assert criteria(flat(room(area="15.00", occupants=3, occupants_family=True))) == []
    assert criteria(flat(room(area="14.99", occupants=3, occupants_family=True))) == [4]


# criterion 5: strictly more than 2, unless family ---------------------------------------------------
@pytest.mark.parametrize(("occupants", "breach"), [(1, False), (2, False), (3, True), (4, True)])
def test_persons_per_room_boundary(occupants, breach):
    assert (5 in criteria(flat(room(area="40.00", occupants=occupants)))) is breach


def test_family_exception_is_recorded_as_applied():
    result = run(flat(room(area="40.00", occupants=4, occupants_family=True)))
    assert not result.group_rental
    assert [(e.room, e.kind) for e in result.exceptions] == [("主卧", "family")]
    assert "法定赡养、抚养、扶养" in result.exceptions[0].detail


def test_family_does_not_excuse_the_area_limit():
    result = run(flat(room(area="14.00", occupants=3, occupants_family=True)))
    assert [f.criterion for f in result.findings] == [4]
    assert [e.kind for e in result.exceptions] == ["family"]


# the living-room exception ---------------------------------------------------------------------------
def living_room(area: str = "12.00", **flags: object) -> dict:
    base = {"partitioned": True, "daylight": True, "ventilation": True, "occupants": 2}
    base.update(flags)
    occupants = base.pop("occupants")
    return room("客厅", "living_room", area, occupants, **base)


def test_living_room_exception_applies_at_12_square_metres():
    result = run(flat(living_room("12.00"), agency=True))
    assert not result.group_rental
    assert [(e.room, e.kind) for e in result.exceptions] == [("客厅", "living_room")]
    assert result.exceptions[0].article.startswith("《关于鼓励社会各类机构代理经租")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (flat(living_room("11.99"), agency=True), "不足 12.00 平方米"),
        (flat(living_room(daylight=False), agency=True), "采光"),
        (flat(living_room(ventilation=False), agency=True), "通风"),
        (flat(living_room(), agency=False), "非代理经租"),
        (flat(living_room(let_by_bed=True), agency=True), "按床位"),
    ],
)
def test_living_room_exception_refusals(data, reason):
    result = run(data)
    assert 2 in [f.criterion for f in result.findings]
    finding = next(f for f in result.findings if f.criterion == 2)
    assert reason in finding.detail or any(reason in r for r in finding.values.get("refusals", []))
    assert all(e.kind != "living_room" for e in result.exceptions)


def test_living_room_exception_only_once_per_flat():
    second = living_room("15.00")
    second["name"] = "起居室"
    result = run(flat(living_room(), second, agency=True))
    assert [e.room for e in result.exceptions] == ["客厅"]
    assert [(f.criterion, f.room) for f in result.findings] == [(2, "起居室")]
    assert "已适用于“客厅”" in result.findings[0].detail


def test_living_room_exception_still_within_the_other_limits():
    result = run(flat(living_room("12.00", occupants=3), agency=True))
    assert [f.criterion for f in result.findings] == [4, 5]
    assert [e.kind for e in result.exceptions] == ["living_room"]


def test_profiles_without_the_exception_refuse_it():
    for profile in (BEIJING, NATIONAL):
        result = run(flat(living_room("20.00"), agency=True), GroupRentalRules.from_profile(profile))
        assert [f.criterion for f in result.findings] == [2]
        assert "本地规则未设客厅分隔例外" in result.findings[0].detail


# several at once; the profiles ------------------------------------------------------------------------
def test_a_flat_meeting_several_criteria_at_once():
    data = flat(
        room("主卧", "living", "14.00", 4, partitioned=True),
        room("厨房", "kitchen", "6.00", 1),
        room("次卧", "living", "9.00", 2, let_by_bed=True),
        dormitory=True,
    )
    result = run(data)
    assert result.group_rental
    assert sorted({f.criterion for f in result.findings}) == [1, 2, 3, 4, 5]
    assert [(f.criterion, f.room) for f in result.findings] == [
        (1, None),
        (2, "主卧"),
        (2, "次卧"),
        (3, "厨房"),
        (4, "主卧"),
        (4, "次卧"),
        (5, "主卧"),
    ]
    assert all(f.article for f in result.findings)


def test_national_profile_sets_no_numbers_of_its_own():
    rules = GroupRentalRules.from_profile(NATIONAL)
    assert rules.min_area_per_person_centi is None and rules.max_persons_per_room is None
    assert criteria(flat(room(area="2.00", occupants=6)), rules) == []
    assert criteria(flat(room("厨房", "kitchen", "6.00", 1)), rules) == [3]


def test_beijing_limits_and_sources():
    rules = GroupRentalRules.from_profile(BEIJING)
    assert (rules.min_area_per_person_centi, rules.max_persons_per_room, rules.area_basis) == (
        500,
        2,
        "living_area",
    )
    assert criteria(flat(room(area="9.99", occupants=2)), rules) == [4]
    assert criteria(flat(room(area="40.00", occupants=3)), rules) == [5]
    assert "北京市住建委" in rules.article("min_area_per_person_centi")


def test_every_profile_value_has_an_article_and_grade():
    for profile in (NATIONAL, SHANGHAI_SEED, SHANGHAI_2020, BEIJING):
        values = profile.rules["group_rental"]
        assert set(values) >= {"min_area_per_person_centi", "max_persons_per_room", "living_room_exception"}
        for rule in values.values():
            assert rule.source.article and rule.source.grade in {"P", "S", "UNCONFIRMED"}
    assert SHANGHAI_SEED.rules["group_rental"]["living_room_exception"].source.grade == "UNCONFIRMED"


def test_the_rectification_period_is_an_unconfirmed_office_setting():
    """Neither domain.md §4 nor seed 000 §16 gives a number of days (责令限期改正 only): 15 calendar days
    is the office's setting in every profile, graded UNCONFIRMED with a note saying so."""
    for profile in (NATIONAL, SHANGHAI_SEED, SHANGHAI_2020, BEIJING):
        rule = profile.rules["group_rental"]["rectification_period"]
        assert rule.value == {"days": 15, "unit": "calendar"}
        assert rule.source.grade == "UNCONFIRMED" and "种子文件000第16项" in rule.source.note
        rules = GroupRentalRules.from_profile(profile)
        assert (rules.rectification_days, rules.rectification_unit) == (15, "calendar")
        assert rules.grades["rectification_period"] == "UNCONFIRMED"


# input ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"agency_managed": False, "rooms": [room()]}, "collective_dormitory"),
        (flat(room(area="12,5")), "rooms[0].usable_area_m2"),
        (flat(room(area=12.5)), "rooms[0].usable_area_m2"),
        (flat(room(area="0.00")), "rooms[0].usable_area_m2"),
        (flat(room(area="1.234")), "rooms[0].usable_area_m2"),
        (flat(room(use="garage")), "rooms[0].designed_use"),
        (flat(room(occupants=-1)), "rooms[0].occupants"),
        (flat(room(occupants=True)), "rooms[0].occupants"),
        (flat(room(), room("次卧", let="yes")), "rooms[1].let"),
        (flat(room(), room()), "rooms[1].name"),
        (flat(room(colour="red")), "rooms[0].colour"),
        ({"collective_dormitory": False, "agency_managed": False, "rooms": []}, "rooms"),
        ([], "$"),
    ],
)
def test_bad_input_names_the_field(data, field):
    with pytest.raises(WuyeError) as caught:
        parse_flat(data)
    assert caught.value.code == "group_rental_bad_field"
    assert caught.value.details == {"field": field}
    assert field in caught.value.message
