"""Voting rules: area arithmetic and the three headcount methods on a register where they differ."""

from __future__ import annotations

import pytest

from plugins.voting.protocol.rules import (
    Unit,
    format_area,
    group_key,
    group_voters,
    grouping_holds,
    natural_key,
    parse_area,
    register_digest,
    register_rows_digest,
)


def unit(code, area, owner, cert="", dev=False, name=None):
    return Unit(code, area, "register", owner, name or owner, cert, dev)


# 6 units: O1 owns two units under two certificates; O2 owns two units under ONE certificate;
# the developer still holds two unsold units.
REGISTER = [
    unit("1-101", 9000, "O1", "C1"),
    unit("1-102", 8000, "O1", "C2"),
    unit("1-201", 7000, "O2", "C3"),
    unit("1-202", 6000, "O2", "C3"),
    unit("1-301", 5000, "DEV", dev=True, name="示范置业"),
    unit("1-302", 4000, "DEV", dev=True, name="示范置业"),
]


def test_area_parsing_and_formatting():
    assert parse_area("89.5") == 8950
    assert parse_area("0.01") == 1
    assert parse_area("120") == 12000
    for bad in ("0", "0.00", "-1", "1.234", "1e2", "", " ", "1,000", "abc"):
        assert parse_area(bad) is None, bad
    assert format_area(8950) == "89.50" and format_area(1) == "0.01" and format_area(123456) == "1234.56"


def test_per_unit():
    voters = group_voters(REGISTER, "per_unit")
    assert len(voters) == 6 and sum(v.heads for v in voters) == 6
    assert sum(v.area_centi for v in voters) == 39000


def test_court_rule_developer_counts_once_and_a_buyer_of_several_units_once():
    voters = group_voters(REGISTER, "court_rule")
    assert [v.unit_codes for v in voters] == [("1-101", "1-102"), ("1-201", "1-202"), ("1-301", "1-302")]
    assert [v.area_centi for v in voters] == [17000, 13000, 9000]
    assert "建设单位" in voters[2].name


def test_per_certificate():
    voters = group_voters(REGISTER, "per_certificate")
    assert [v.unit_codes for v in voters] == [("1-101",), ("1-102",), ("1-201", "1-202"), ("1-301", "1-302")]


def test_the_three_methods_differ_on_this_register_and_area_is_always_conserved():
    counts = {m: len(group_voters(REGISTER, m)) for m in ("per_unit", "court_rule", "per_certificate")}
    assert counts == {"per_unit": 6, "court_rule": 3, "per_certificate": 4}
    for method in counts:
        assert sum(v.area_centi for v in group_voters(REGISTER, method)) == 39000


def test_unknown_method():
    with pytest.raises(ValueError):
        group_voters(REGISTER, "per_family")  # type: ignore[arg-type]


def test_natural_order_and_digest_stability():
    assert sorted(["3-2-1201", "3-2-201", "10-1-1", "3-10-1"], key=natural_key) == [
        "3-2-201",
        "3-2-1201",
        "3-10-1",
        "10-1-1",
    ]
    voters = group_voters(REGISTER, "court_rule")
    digest = register_digest(REGISTER, voters, "court_rule")
    assert digest == register_digest(list(reversed(REGISTER)), voters, "court_rule")
    changed = [*REGISTER[:-1], unit("1-302", 4001, "DEV", dev=True, name="示范置业")]
    assert register_digest(changed, group_voters(changed, "court_rule"), "court_rule") != digest
    assert register_digest(REGISTER, voters, "per_unit") != digest


@pytest.mark.parametrize("method", ["per_unit", "court_rule", "per_certificate"])
def test_grouping_holds_for_the_groups_and_for_nothing_else(method):
    """The verifier's check of a recorded grouping: true for exactly the groups the method makes."""
    keys = {
        u.unit_code: group_key(method, u.unit_code, u.owner_key, u.certificate_no, u.developer_unsold)
        for u in REGISTER
    }
    groups = [list(v.unit_codes) for v in group_voters(REGISTER, method)]
    assert grouping_holds(keys, groups)
    assert grouping_holds(keys, list(reversed(groups)))  # the order of voters is the digest's business
    merged = [groups[0] + groups[1], *groups[2:]]
    split = [[code] for group in groups for code in group]
    for wrong in (
        merged,  # two vote-holders counted as one
        groups[:-1],  # a group left out
        [*groups, [groups[0][0]]],  # a unit in two voters
        [[*groups[0], groups[0][0]], *groups[1:]],  # a unit twice in one voter
        [*groups, ["9-999"]],  # a unit that is not in the register
        [[], *groups],  # a voter without units
    ):
        assert not grouping_holds(keys, wrong), wrong
    assert grouping_holds(keys, split) == (method == "per_unit")


def test_the_digest_of_rows_is_the_digest_of_the_register():
    voters = group_voters(REGISTER, "court_rule")
    ordered = sorted(REGISTER, key=lambda u: natural_key(u.unit_code))
    rows = [
        {
            "unit_code": u.unit_code,
            "area_centi": u.area_centi,
            "area_source": u.area_source,
            "owner_key": u.owner_key,
            "developer_unsold": u.developer_unsold,
        }
        for u in ordered
    ]
    voter_rows = [{"units": list(v.unit_codes), "area_centi": v.area_centi, "heads": v.heads} for v in voters]
    digest = register_digest(REGISTER, voters, "court_rule")
    assert register_rows_digest("court_rule", rows, voter_rows) == digest
    assert register_rows_digest("court_rule", rows, voter_rows, plain=True) == digest


def test_public_ids_never_start_with_a_dash():
    from plugins.voting.services.meetings import new_public_id

    ids = [new_public_id() for _ in range(5000)]
    assert all(len(i) == 12 and i[0].isalnum() for i in ids)
