"""Every threshold boundary of every voting profile: exactly at the fraction, one hundredth of a m² or
one head over, and under; participation short in area but not in headcount and the other way round.

The pure tests build sealed records directly (the tally reads nothing else); the database tests run
one boundary per profile through the real path (register, meeting, paper entries, seal) on both
databases."""

from __future__ import annotations

from fractions import Fraction

import pytest

from plugins.jurisdictions.plugin import register_jurisdictions
from plugins.voting.protocol.tally import compute_tally

PROFILES = {p.code: p for p in register_jurisdictions()}
VOTING_PROFILES = ["national", "shanghai-seed", "shanghai-2020", "beijing", "henan-2017"]
N = 12  #: voters: divisible by 2, 3 and 4, so every legal fraction of the headcount is a whole number
MOTIONS = [
    {
        "position": 1,
        "title": "续聘物业",
        "matter": "hire_firm",
        "kind": "resolution",
        "seats": 0,
        "candidates": [],
    },
    {
        "position": 2,
        "title": "筹集维修资金",
        "matter": "raise_fund",
        "kind": "resolution",
        "seats": 0,
        "candidates": [],
    },
]


def record(profile: str, areas: list[int], votes: dict[int, tuple[str, str]]) -> dict:
    """A sealed record: voter i+1 has ``areas[i]`` hundredths of a m² and one head; ``votes`` maps a
    voter number to its choices on motions 1 and 2 (counted paper entries: the tally does not care
    how a counted ballot arrived)."""
    return {
        "meeting": {
            "meeting": "M",
            "title": "t",
            "voting_closes": "2030-01-01T00:00:00.000000Z",
            "motions": MOTIONS,
            "officials": [],
        },
        "rules": PROFILES[profile].to_dict(),
        "register": {
            "headcount_method": "per_unit",
            "units": [],
            "voters": [
                {"voter_no": i + 1, "serial": "", "units": [f"u{i}"], "area_centi": a, "heads": 1}
                for i, a in enumerate(areas)
            ],
        },
        "credentials": [],
        "ballots": [],
        "paper": [
            {
                "voter_no": n,
                "status": "counted",
                "choices": [{"motion": 1, "choice": c1}, {"motion": 2, "choice": c2}],
            }
            for n, (c1, c2) in votes.items()
        ],
    }


def threshold(profile: str, key: str):
    return PROFILES[profile].threshold(key)


def expected(profile: str, key: str, position: str) -> bool:
    inclusive = threshold(profile, key).inclusive
    return {"exact": inclusive, "over": True, "under": False}[position]


def shift(position: str) -> int:
    return {"exact": 0, "over": 1, "under": -1}[position]


POSITIONS = ["exact", "over", "under"]


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("profile", VOTING_PROFILES)
def test_participation_by_headcount(profile, position):
    """k of 12 take part, k = fraction x 12 (+1, -1); their area is overwhelming, so only heads decide."""
    f = threshold(profile, "voting.participation").fraction
    k = int(f * N) + shift(position)
    areas = [100000] * k + [1] * (N - k)
    tally = compute_tally(record(profile, areas, {n: ("agree", "agree") for n in range(1, k + 1)}))
    motion = tally["motions"][0]
    assert motion["headcount"]["participating"] == k
    assert motion["participation_met"] is expected(profile, "voting.participation", position)
    if position == "under":
        assert motion["passed"] is False and "人数" in motion["reason"] and "未达到" in motion["reason"]


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("profile", VOTING_PROFILES)
def test_participation_by_area(profile, position):
    """11 of 12 heads take part (always enough); their area is exactly the fraction of the total, or one
    hundredth of a m² over or under."""
    f = threshold(profile, "voting.participation").fraction
    total = 1_200_000
    part = int(f * total) + shift(position)
    areas = [part // 11] * 10 + [part - 10 * (part // 11), total - part]
    assert sum(areas) == total
    tally = compute_tally(record(profile, areas, {n: ("agree", "agree") for n in range(1, 12)}))
    motion = tally["motions"][0]
    assert Fraction(sum(areas[:11]), total) == f + Fraction(shift(position), total)
    assert motion["participation_met"] is expected(profile, "voting.participation", position)
    if position == "under":
        assert "专有部分面积" in motion["reason"] and motion["passed"] is False


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize(("key", "motion_index"), [("voting.ordinary", 0), ("voting.major", 1)])
@pytest.mark.parametrize("profile", VOTING_PROFILES)
def test_pass_rule_by_headcount(profile, key, motion_index, position):
    """Everyone takes part; a = fraction x 12 (+1, -1) agree, holding nearly all the area."""
    f = threshold(profile, key).fraction
    a = int(f * N) + shift(position)
    areas = [100000] * a + [1] * (N - a)
    votes = {n: ("agree", "agree") if n <= a else ("oppose", "oppose") for n in range(1, N + 1)}
    motion = compute_tally(record(profile, areas, votes))["motions"][motion_index]
    assert motion["participation_met"] is True
    assert (
        motion["rule"]["key"]
        == PROFILES[profile].rule("voting", "matter_rules")[MOTIONS[motion_index]["matter"]]
    )
    assert motion["passed"] is expected(profile, key, position), motion["reason"]


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize(("key", "motion_index"), [("voting.ordinary", 0), ("voting.major", 1)])
@pytest.mark.parametrize("profile", VOTING_PROFILES)
def test_pass_rule_by_area(profile, key, motion_index, position):
    """Everyone takes part; 11 heads agree (always enough) holding exactly the fraction of the area, or
    one hundredth of a m² more or less; the twelfth opposes with the rest."""
    f = threshold(profile, key).fraction
    total = 1_200_000
    agree = int(f * total) + shift(position)
    areas = [agree // 11] * 10 + [agree - 10 * (agree // 11), total - agree]
    votes = {n: ("agree", "agree") for n in range(1, 12)} | {12: ("oppose", "oppose")}
    motion = compute_tally(record(profile, areas, votes))["motions"][motion_index]
    assert motion["participation_met"] is True
    assert motion["passed"] is expected(profile, key, position), motion["reason"]


def test_exactly_half_is_not_a_majority_and_two_thirds_is_two_thirds_or_more():
    half = {n: ("agree", "agree") if n <= 6 else ("oppose", "oppose") for n in range(1, 13)}
    national = compute_tally(record("national", [10000] * 12, half))["motions"][0]
    assert national["passed"] is False and "未达到" in national["reason"]
    two_thirds = {n: ("agree", "agree") if n <= 8 else ("oppose", "oppose") for n in range(1, 13)}
    seed = compute_tally(record("shanghai-seed", [10000] * 12, two_thirds))["motions"][1]
    assert seed["rule"]["fraction"] == "2/3" and seed["rule"]["inclusive"] is True and seed["passed"] is True


def test_the_base_of_the_rule_matters_total_or_participating():
    """9 of 12 take part and 6 agree: a majority of those taking part (national), but exactly half of
    all owners, which is not a majority of the total (the seed's rule)."""
    votes = {n: ("agree", "agree") if n <= 6 else ("oppose", "oppose") for n in range(1, 10)}
    national = compute_tally(record("national", [10000] * 12, votes))["motions"][0]
    seed = compute_tally(record("shanghai-seed", [10000] * 12, votes))["motions"][0]
    assert national["participation_met"] and seed["participation_met"]
    assert national["passed"] is True and seed["passed"] is False
    assert seed["rule"]["base"] == "total" and national["rule"]["base"] == "participating"


def test_using_the_fund_is_ordinary_nationally_but_major_in_the_older_texts():
    assert PROFILES["national"].rule("voting", "matter_rules")["use_fund"] == "voting.ordinary"
    assert PROFILES["shanghai-seed"].rule("voting", "matter_rules")["use_fund"] == "voting.major"
    assert PROFILES["henan-2017"].rule("voting", "matter_rules")["use_fund"] == "voting.major"
    assert PROFILES["henan-2017"].rule("voting", "objection_vote_matters") == ()


def test_the_maintenance_fund_covenant_needs_two_thirds_of_the_total_in_the_seed_profile():
    """专项维修资金管理规约: a covenant nationally (the ordinary rule), two thirds of the total area and
    headcount in the seed's text (000 §9 规范（六）). 8 of 12 agree: passes the seed's rule exactly at
    the boundary; 7 of 12 (a majority of the total) does not."""
    from plugins.voting.schemas import MATTER_TITLES, MATTERS

    assert "fund_covenant" in MATTERS and MATTER_TITLES["fund_covenant"] == "制定和修改专项维修资金管理规约"
    for code in VOTING_PROFILES:
        rules = PROFILES[code].rule("voting", "matter_rules")
        assert set(rules) == set(MATTERS), code  # every matter has a rule in every profile
    covenant = [{**MOTIONS[0], "matter": "fund_covenant", "title": "制定专项维修资金管理规约"}, MOTIONS[1]]
    for agreeing, passes_seed in ((8, True), (7, False)):
        votes = {n: ("agree", "agree") if n <= agreeing else ("oppose", "oppose") for n in range(1, 13)}
        seed_record = record("shanghai-seed", [10000] * 12, votes)
        seed_record["meeting"]["motions"] = covenant
        seed = compute_tally(seed_record)["motions"][0]
        assert seed["rule"]["fraction"] == "2/3" and seed["rule"]["base"] == "total"
        assert seed["passed"] is passes_seed, agreeing
        national_record = record("national", [10000] * 12, votes)
        national_record["meeting"]["motions"] = covenant
        national = compute_tally(national_record)["motions"][0]
        assert national["rule"]["fraction"] == "1/2" and national["passed"] is True


def test_henan_objection_vote_when_switched_on():
    """Art. 66: the motion passes unless objectors exceed 1/3 of the total area or headcount."""
    base = record("henan-2017", [10000] * 12, {n: ("abstain", "abstain") for n in range(1, 13)})
    base["rules"]["rules"]["voting"]["objection_vote_matters"]["value"] = ["hire_firm"]
    for opposing, passes in ((4, True), (5, False)):
        rec = {**base, "paper": [dict(p) for p in base["paper"]]}
        for p in rec["paper"][:opposing]:
            p["choices"] = [{"motion": 1, "choice": "oppose"}, {"motion": 2, "choice": "oppose"}]
        motion = compute_tally(rec)["motions"][0]
        assert motion["passed"] is passes and "异议表决" in motion["reason"]


def test_the_objection_rule_reads_exceeding_one_third_with_the_exact_counts():
    """超过 excludes the boundary, 以上 includes it: Henan's objection rule (1/3, not inclusive) reads
    "反对超过总数的三分之一即不通过"; at exactly 4 of 12 the motion passes and the reason shows 4/12
    (unreduced) and the area 400.00/1200.00."""
    objection = threshold("henan-2017", "voting.objection")
    assert objection.inclusive is False and objection.fraction == Fraction(1, 3)
    assert objection.describe() == "超过总数的三分之一"
    assert objection.reached_words() == "超过总数的三分之一"
    base = record("henan-2017", [10000] * 12, {n: ("abstain", "abstain") for n in range(1, 13)})
    base["rules"]["rules"]["voting"]["objection_vote_matters"]["value"] = ["hire_firm"]
    for p in base["paper"][:4]:
        p["choices"] = [{"motion": 1, "choice": "oppose"}, {"motion": 2, "choice": "oppose"}]
    motion = compute_tally(base)["motions"][0]
    assert motion["passed"] is True
    assert "反对超过总数的三分之一即不通过" in motion["reason"]
    assert "（400.00/1200.00）" in motion["reason"] and "（4/12）" in motion["reason"]
    assert "以上（不含本数）" not in motion["reason"]


def test_an_objection_vote_below_the_quorum_warns():
    """Henan Art. 66's objection vote decides even when few take part; the tally says so (issue #18
    point 4): 3 of 12 owners take part, nobody objects — passed, with the warning in the reason."""
    rec = record("henan-2017", [10000] * 12, {n: ("abstain", "abstain") for n in range(1, 4)})
    rec["rules"]["rules"]["voting"]["objection_vote_matters"]["value"] = ["hire_firm"]
    motion = compute_tally(rec)["motions"][0]
    assert motion["passed"] is True and motion["participation_met"] is False
    assert motion["warning"] == "objection_below_quorum"
    assert (
        "未达到总数的过半数" in motion["reason"]
        and "（3/12）" in motion["reason"]
        and "法律风险" in motion["reason"]
    )
    full = record("henan-2017", [10000] * 12, {n: ("abstain", "abstain") for n in range(1, 13)})
    full["rules"]["rules"]["voting"]["objection_vote_matters"]["value"] = ["hire_firm"]
    assert "warning" not in compute_tally(full)["motions"][0]


def test_inclusive_rules_read_reaching_or_more():
    major = threshold("national", "voting.major")
    assert major.inclusive and major.reached_words() == "达到参与表决数的四分之三以上"
    assert threshold("national", "voting.ordinary").reached_words() == "超过参与表决数的半数"


def test_shares_show_the_counts_behind_them_unreduced():
    """187 of 253 agree is 17/23 reduced; people check the counts, so the reason says 187/253 (and the
    area in m² with two decimals), in the participation sentence and in the agreement sentence."""
    votes = {n: ("agree", "agree") if n <= 187 else ("oppose", "oppose") for n in range(1, 254)}
    rec = record("national", [10000] * 253 + [5000] * 47, votes)
    motion = compute_tally(rec)["motions"][0]
    reason = motion["reason"]
    assert "（253/300）" in reason  # participation: 253 of the 300 owners
    assert "（25300.00/27650.00）" in reason  # participation by area
    assert "（187/253）" in reason and "（18700.00/25300.00）" in reason  # agreement over participating
    assert "17/23" not in reason


def test_elections_winners_by_the_rule_and_a_tie_at_the_last_seat():
    rec = record("national", [10000] * 12, {})
    rec["meeting"]["motions"] = [
        {
            "position": 1,
            "title": "选举",
            "matter": "elect_committee",
            "kind": "election",
            "seats": 2,
            "candidates": [
                {"id": "c1", "name": "甲"},
                {"id": "c2", "name": "乙"},
                {"id": "c3", "name": "丙"},
            ],
        }
    ]
    picks = [["c1", "c2"]] * 5 + [["c1", "c3"]] * 4 + [["c2"]] * 2 + [[]]
    rec["paper"] = [
        {"voter_no": n + 1, "status": "counted", "choices": [{"motion": 1, "candidates": c}]}
        for n, c in enumerate(picks)
    ]
    motion = compute_tally(rec)["motions"][0]
    by_id = {c["id"]: c for c in motion["candidates"]}
    assert by_id["c1"]["headcount"] == 9 and by_id["c2"]["headcount"] == 7 and by_id["c3"]["headcount"] == 4
    assert motion["winners"] == ["c1", "c2"] and by_id["c3"]["elected"] is False
    tie = [["c1", "c2"]] * 6 + [["c1", "c3"]] * 6
    rec["paper"] = [
        {"voter_no": n + 1, "status": "counted", "choices": [{"motion": 1, "candidates": c}]}
        for n, c in enumerate(tie)
    ]
    # c1 12 heads; c2 and c3 6 each = exactly half: not a majority, so neither qualifies
    motion = compute_tally(rec)["motions"][0]
    assert motion["winners"] == ["c1"]
    tie = [["c1", "c2"]] * 7 + [["c1", "c3"]] * 5
    rec["register"]["voters"] = [dict(v, area_centi=10000) for v in rec["register"]["voters"]]
    rec["paper"] = [
        {"voter_no": n + 1, "status": "counted", "choices": [{"motion": 1, "candidates": c}]}
        for n, c in enumerate(tie)
    ]
    rec["meeting"]["motions"][0]["seats"] = 1
    motion = compute_tally(rec)["motions"][0]
    assert motion["winners"] == ["c1"]


# --- the same boundaries through the database, one per profile ---------------------------------------


@pytest.fixture
def profile_meeting(db):
    async def make(profile: str, areas: list[int]) -> tuple[object, str]:
        from datetime import UTC, datetime

        from core.district_services import add_district, add_estate, switch_plugin
        from plugins.voting.services.ballots import print_ballots
        from plugins.voting.services.meetings import create_meeting, parse_meeting_file, publish_meeting
        from plugins.voting.services.register import import_register
        from plugins.voting.tables import VotingMeeting
        from tests.plugins.voting.conftest import TODAY, encode, meeting_file

        district = await add_district(db, "test", "p", "测试街道", jurisdiction=profile)
        await add_estate(db, "test", district, "E1", "示范花园")
        await switch_plugin(db, "test", district, "voting", True)
        rows = [
            f"1-{i + 101},{a // 100}.{a % 100:02d},register,O{i},业主{i},C{i},0" for i, a in enumerate(areas)
        ]
        header = "unit_code,area_m2,area_source,owner_key,owner_name,certificate_no,developer_unsold"
        await import_register(district, "E1", ("\n".join([header, *rows]) + "\n").encode(), "r.csv", "o")
        from datetime import timedelta

        data = meeting_file(TODAY - timedelta(days=20))
        data["motions"] = [
            {"title": "续聘物业", "matter": "hire_firm"},
            {"title": "筹集维修资金", "matter": "raise_fund"},
        ]
        created = await create_meeting(db, district, "E1", parse_meeting_file(encode(data)), "o")
        public_id = created["meeting"]
        await publish_meeting(db, district, public_id, "o", today=TODAY - timedelta(days=20))
        await print_ballots(db, district, public_id, "o", workers=1)
        await VotingMeeting.update(
            {VotingMeeting.status: "open", VotingMeeting.voting_closes: datetime.now(UTC)}
        ).where(VotingMeeting.public_id == public_id)
        return district, public_id

    return make


def scenario(
    profile: str, key: str, measure: str, position: str
) -> tuple[list[int], dict[int, tuple[str, str]]]:
    """The register areas and the votes that put ``key`` at ``position`` by ``measure`` (as above)."""
    f = threshold(profile, key).fraction
    if key == "voting.participation" and measure == "heads":
        k = int(f * N) + shift(position)
        return [100000] * k + [1] * (N - k), {n: ("agree", "agree") for n in range(1, k + 1)}
    if key == "voting.participation":
        part = int(f * 1_200_000) + shift(position)
        areas = [part // 11] * 10 + [part - 10 * (part // 11), 1_200_000 - part]
        return areas, {n: ("agree", "agree") for n in range(1, 12)}
    if measure == "heads":
        a = int(f * N) + shift(position)
        return [100000] * a + [1] * (N - a), {
            n: ("agree", "agree") if n <= a else ("oppose", "oppose") for n in range(1, N + 1)
        }
    agree = int(f * 1_200_000) + shift(position)
    areas = [agree // 11] * 10 + [agree - 10 * (agree // 11), 1_200_000 - agree]
    return areas, {n: ("agree", "agree") for n in range(1, 12)} | {12: ("oppose", "oppose")}


DB_SCENARIOS = [
    ("voting.participation", "heads", "under"),
    ("voting.participation", "area", "under"),
    ("voting.participation", "heads", "exact"),
    ("voting.ordinary", "heads", "exact"),
    ("voting.ordinary", "area", "over"),
    ("voting.major", "heads", "exact"),
    ("voting.major", "area", "under"),
]


@pytest.mark.parametrize(
    ("key", "measure", "position"), DB_SCENARIOS, ids=["-".join(s) for s in DB_SCENARIOS]
)
@pytest.mark.parametrize("profile", VOTING_PROFILES)
async def test_boundaries_through_the_database(db, profile_meeting, profile, key, measure, position):
    """The same boundaries through the real path: register, meeting published under the profile (its
    snapshot is what the seal applies), paper entries, seal, tally from the sealed record."""
    from plugins.voting.services.paper import PaperEntry
    from plugins.voting.services.seal import seal_meeting, tally_of
    from plugins.voting.tables import VotingVoter
    from tests.plugins.voting.conftest import enter_confirmed

    areas, votes = scenario(profile, key, measure, position)
    district, public_id = await profile_meeting(profile, areas)
    words = {"agree": "同意", "oppose": "反对", "abstain": "弃权"}
    voters = await VotingVoter.select(VotingVoter.serial, VotingVoter.voter_no).order_by(VotingVoter.voter_no)
    entries = [
        PaperEntry(v["serial"], {1: words[votes[v["voter_no"]][0]], 2: words[votes[v["voter_no"]][1]]})
        for v in voters
        if v["voter_no"] in votes
    ]
    await enter_confirmed(db, district, public_id, "counter", entries)
    await seal_meeting(db, district, public_id, "officer")
    tally = await tally_of(public_id)
    assert tally["profile"] == profile
    pure = compute_tally(record(profile, areas, votes))
    for got, want in zip(tally["motions"], pure["motions"], strict=True):
        for field in ("participation_met", "passed", "area", "headcount", "reason"):
            assert got[field] == want[field], field
    motion = tally["motions"][0 if key != "voting.major" else 1]
    if key == "voting.participation":
        assert motion["participation_met"] is expected(profile, key, position)
    else:
        assert motion["participation_met"] is True
        assert motion["passed"] is expected(profile, key, position), motion["reason"]


def test_an_answer_that_is_no_option_counts_nowhere():
    """A resolution answered with a list (only a tampered record has one) is counted for no option,
    and the tally still comes out: the verifier reports the ballot, it does not crash on it."""
    doc = record("national", [100] * 4, {1: ("agree", "agree"), 2: ("agree", "oppose")})
    doc["paper"][1]["choices"][0] = {"motion": 1, "candidates": ["c1"]}
    first = compute_tally(doc)["motions"][0]
    assert first["area"]["agree"] == "1.00" and first["headcount"]["agree"] == 1
    assert first["headcount"]["participating"] == 2 and first["headcount"]["oppose"] == 0


def dual_record(dual: str, online: str, paper_choice: str = "oppose") -> dict:
    """Voter 1 sends an online ballot (agree on both motions) that is ``valid``, ``late`` (received at
    the close), ``revoked`` (its key revoked before it arrived) or of an ``unknown`` key, and returns a
    paper sheet (``paper_choice`` on both) entered as ``conflict_online``; voter 2 votes on paper only."""
    doc = record("national", [100] * 4, {2: ("agree", "agree")})
    doc["rules"]["rules"]["voting"]["dual_ballot"]["value"] = dual
    closes = doc["meeting"]["voting_closes"]
    doc["credentials"] = [
        {
            "voter_no": 1,
            "version": 1,
            "public_key": "k1",
            "revoked_at": "2029-12-31T00:00:00.000000Z" if online == "revoked" else None,
        }
    ]
    doc["ballots"] = [
        {
            "voter_no": 1,
            "ballot": {
                "voter_key": "other" if online == "unknown" else "k1",
                "choices": [{"motion": 1, "choice": "agree"}, {"motion": 2, "choice": "agree"}],
            },
            "received_at": closes if online == "late" else "2029-12-31T12:00:00.000000Z",
        }
    ]
    doc["paper"].append(
        {
            "voter_no": 1,
            "status": "conflict_online",
            "choices": [{"motion": 1, "choice": paper_choice}, {"motion": 2, "choice": paper_choice}],
        }
    )
    return doc


@pytest.mark.parametrize("online", ["late", "revoked", "unknown"])
@pytest.mark.parametrize("dual", ["online", "paper"])
def test_an_online_ballot_set_aside_does_not_conflict_with_the_paper_sheet(online, dual):
    """docs/protocol.md §9.3: a late online ballot, or one under a revoked or unknown key, counts for
    nothing and conflicts with nothing: the voter's ``conflict_online`` paper sheet counts, whatever
    ``dual_ballot`` says."""
    tally = compute_tally(dual_record(dual, online))
    why = {"late": "late", "revoked": "revoked", "unknown": "unknown_key"}[online]
    assert tally["set_aside"] == [{"voter_no": 1, "set_aside": "online", "why": why}]
    assert tally["counted"] == {"total": 2, "online": 0, "paper": 2}
    first = tally["motions"][0]
    assert first["headcount"]["participating"] == 2
    assert first["headcount"]["oppose"] == 1 and first["headcount"]["agree"] == 1  # voter 1's paper


@pytest.mark.parametrize(
    ("dual", "agree", "oppose", "note"),
    [
        ("online", 2, 0, {"voter_no": 1, "set_aside": "paper", "why": "dual_ballot_online"}),
        ("paper", 1, 1, {"voter_no": 1, "set_aside": "online", "why": "dual_ballot_paper"}),
    ],
)
def test_both_valid_the_dual_ballot_rule_decides(dual, agree, oppose, note):
    tally = compute_tally(dual_record(dual, "valid"))
    assert tally["set_aside"] == [note]
    source = "online" if dual == "online" else "paper"
    assert tally["counted"]["total"] == 2 and tally["counted"][source] == (2 if source == "paper" else 1)
    first = tally["motions"][0]
    assert (first["headcount"]["agree"], first["headcount"]["oppose"]) == (agree, oppose)
    assert first["headcount"]["participating"] == 2


def test_a_late_online_ballot_alone_counts_for_nothing():
    doc = dual_record("online", "late")
    doc["paper"].pop()  # no paper sheet for voter 1
    tally = compute_tally(doc)
    assert tally["set_aside"] == [{"voter_no": 1, "set_aside": "online", "why": "late"}]
    assert tally["counted"] == {"total": 1, "online": 0, "paper": 1}
