"""Jurisdiction profiles: exact thresholds, sources, derivation, the registry."""

from __future__ import annotations

from fractions import Fraction

import pytest

from core.errors import ConfigError, NotFound
from core.jurisdiction import JurisdictionRegistry, Rule, Source, Threshold
from core.plugins import create_plugin_manager
from plugins.jurisdictions.national import NATIONAL

SRC = Source("测试条文")


@pytest.mark.parametrize(
    ("fraction", "inclusive", "part", "whole", "met"),
    [
        # 过半数: exactly half is NOT a majority
        (Fraction(1, 2), False, 50, 100, False),
        (Fraction(1, 2), False, 51, 100, True),
        (Fraction(1, 2), False, 5001, 10000, True),
        (Fraction(1, 2), False, 3, 7, False),
        (Fraction(1, 2), False, 4, 7, True),
        # 三分之二以上: exactly two thirds counts
        (Fraction(2, 3), True, 2, 3, True),
        (Fraction(2, 3), True, 200, 300, True),
        (Fraction(2, 3), True, 199, 300, False),
        (Fraction(2, 3), True, 66_666_667, 100_000_000, True),
        (Fraction(2, 3), True, 66_666_666, 100_000_000, False),
        # 四分之三以上
        (Fraction(3, 4), True, 75, 100, True),
        (Fraction(3, 4), True, 7499, 10000, False),
        # empty base never passes
        (Fraction(1, 2), False, 0, 0, False),
    ],
)
def test_thresholds_compare_exactly(fraction, inclusive, part, whole, met):
    assert Threshold(fraction, inclusive, "participating", SRC).met(part, whole) is met


def test_areas_in_hundredths_where_floats_would_round():
    # 0.3 + 0.6 m² of 1.35 m² is exactly two thirds; in floats it falls just short of 2/3.
    assert (0.3 + 0.6) / 1.35 < 2 / 3
    assert Threshold(Fraction(2, 3), True, "total", SRC).met(30 + 60, 135)


def test_national_profile_matches_civil_code_278():
    assert NATIONAL.threshold("voting.participation") == Threshold(
        Fraction(2, 3), True, "total", NATIONAL.threshold("voting.participation").source
    )
    assert NATIONAL.threshold("voting.ordinary").fraction == Fraction(1, 2)
    assert not NATIONAL.threshold("voting.ordinary").inclusive
    assert NATIONAL.threshold("voting.major").fraction == Fraction(3, 4)
    assert NATIONAL.threshold("voting.major").base == "participating"
    assert NATIONAL.deadline("housing_check.report").days == 10
    assert NATIONAL.deadline("housing_check.report").unit == "working"
    assert "二百七十八" in NATIONAL.threshold("voting.major").source.article
    assert NATIONAL.threshold("voting.ordinary").describe() == "参与表决数的过半数"
    assert NATIONAL.threshold("voting.major").describe() == "参与表决数的四分之三以上"


def test_every_value_has_a_source():
    data = NATIONAL.to_dict()
    for group in ("thresholds", "deadlines"):
        for key, value in data[group].items():
            assert value["source"]["article"], key
            assert value["source"]["grade"] in {"P", "S", "UNCONFIRMED"}
    for plugin, rules in data["rules"].items():
        for key, value in rules.items():
            assert value["source"]["article"], f"{plugin}.{key}"


def test_derive_overrides_per_key_and_records_the_parent():
    local = NATIONAL.derive(
        "testville",
        "测试市",
        thresholds={"voting.ordinary": Threshold(Fraction(1, 2), False, "total", SRC)},
        rules={"voting": {"proxy_max_owners": Rule(3, SRC)}},
    )
    assert local.parent == "national"
    assert local.threshold("voting.ordinary").base == "total"
    assert local.threshold("voting.major") == NATIONAL.threshold("voting.major")
    assert local.rule("voting", "proxy_max_owners") == 3
    assert local.rule("voting", "headcount_method") == "court_rule"
    assert NATIONAL.rule("voting", "proxy_max_owners", None) is None
    with pytest.raises(KeyError):
        NATIONAL.rule("voting", "proxy_max_owners")


def test_registry_default_lookup_and_errors():
    registry = JurisdictionRegistry.from_plugins(create_plugin_manager(entrypoints=False))
    assert registry.get("").code == "national"
    assert registry.get(None).code == "national"
    with pytest.raises(NotFound) as info:
        registry.get("atlantis")
    assert info.value.code == "jurisdiction_not_found"
    with pytest.raises(ValueError, match="twice"):
        JurisdictionRegistry([NATIONAL, NATIONAL])
    with pytest.raises(ConfigError) as unknown:
        JurisdictionRegistry([NATIONAL], default="atlantis")
    assert unknown.value.code == "jurisdiction_default_unknown"
    assert "atlantis" in unknown.value.message and "national" in unknown.value.message
