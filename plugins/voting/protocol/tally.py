"""The tally, computed from a sealed record only (pure: no database; the verifier runs it too).

Which ballots count (docs/protocol.md §9.3): an online ballot whose credential belongs to its voter and
was not revoked before the ballot arrived, received before voting closed; a paper entry with status
``counted``; a paper entry with status ``conflict_online`` (the voter also sent an online ballot): when
that online ballot counts, the profile's ``voting.dual_ballot`` rule (``online`` by default, ``paper``,
or ``first``: the one received first, by the sheet's hand-in time, :func:`paper_first`) picks one of the
two, and when it was set aside (late, revoked or unknown key) the paper entry counts. A paper entry
``late`` (handed in after voting closed) or ``revoked`` never counts. Every
voter with a counted ballot takes part in every motion they answer (a blank line on paper is an
abstention): every motion of the whole estate, and each motion of a part of it (protocol/scope.py)
where they have a share — such a motion is decided over that part's voters, with their share of area
and heads (docs/protocol.md §9.6).

Per motion the rule is the profile's threshold for the motion's matter; the participation threshold
applies to every motion; both are compared exactly (integers: hundredths of a m² and heads) by
:meth:`core.jurisdiction.Threshold.met`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any, NamedTuple

from core import Source, Threshold
from plugins.voting.messages import SCOPE_WORDS
from plugins.voting.messages import TALLY_WORDS as W
from plugins.voting.protocol.rules import format_area
from plugins.voting.protocol.scope import scope_label, scope_of, scoped_positions

TALLY_PROTOCOL = "wuye-tally-v1"


def threshold_from_dict(data: dict[str, Any]) -> Threshold:
    numerator, denominator = (int(x) for x in str(data["fraction"]).split("/"))
    source = data.get("source") or {}
    return Threshold(
        Fraction(numerator, denominator),
        bool(data["inclusive"]),
        data["base"],
        Source(source.get("article", ""), source.get("grade", "P"), source.get("note", "")),
    )


def rule_value(rules: dict[str, Any], key: str, default: Any) -> Any:
    found = rules.get("rules", {}).get("voting", {}).get(key)
    return default if found is None else found["value"]


class Counted(NamedTuple):
    """A voter's ballot that counts: its choices by motion position, and where it came from."""

    voter_no: int
    choices: dict[int, Any]  #: position -> "agree"/"oppose"/"abstain" or a list of candidate ids
    source: str  #: online | paper


_iso = datetime.fromisoformat  #: the record's times: ISO 8601, UTC as ``…Z`` (read since Python 3.11)
MINUTE = timedelta(minutes=1)  #: a hand-in time is read to the minute: it stands for that whole minute


def _moment(value: Any) -> datetime | None:
    """A recorded time, or ``None`` where absent or malformed (the verifier reports which)."""
    try:
        return _iso(value) if isinstance(value, str) else None
    except ValueError:
        return None


def paper_first(handed_in: datetime | None, received: datetime | None) -> bool:
    """Under the ``first`` rule: the sheet was handed in before the online ballot arrived — its whole
    minute ends before it (docs/protocol.md §9.3); a sheet without a time never comes first."""
    return handed_in is not None and received is not None and handed_in + MINUTE <= received


def _choice_map(choices: list[dict[str, Any]]) -> dict[int, Any]:
    return {c["motion"]: c["choice"] if "choice" in c else c.get("candidates") for c in choices}


def counted_ballots(record: dict[str, Any]) -> tuple[dict[int, Counted], list[dict[str, Any]]]:
    """The ballot that counts for each voter, and the notes on what was set aside and why."""
    credentials = {(c["voter_no"], c["public_key"]): c for c in record["credentials"]}
    closes = _iso(record["meeting"]["voting_closes"]) if record["ballots"] else None  # parsed once
    dual = rule_value(record["rules"], "dual_ballot", "online")
    online: dict[int, Counted] = {}
    received_of: dict[int, datetime] = {}
    notes: list[dict[str, Any]] = []
    for entry in record["ballots"]:
        ballot, voter_no = entry["ballot"], entry["voter_no"]
        credential = credentials.get((voter_no, ballot.get("voter_key")))
        if credential is None:
            notes.append({"voter_no": voter_no, "set_aside": "online", "why": "unknown_key"})
            continue
        received = _iso(entry["received_at"])
        if credential["revoked_at"] is not None and not received < _iso(credential["revoked_at"]):
            notes.append({"voter_no": voter_no, "set_aside": "online", "why": "revoked"})
            continue
        if not received < closes:  # type: ignore[operator]
            notes.append({"voter_no": voter_no, "set_aside": "online", "why": "late"})
            continue
        online[voter_no] = Counted(voter_no, _choice_map(ballot["choices"]), "online")
        received_of[voter_no] = received
    counted = dict(online)
    for entry in record["paper"]:
        choices = _choice_map(entry["choices"])
        voter = entry["voter_no"]
        if entry["status"] == "counted" and voter not in online:
            counted[voter] = Counted(voter, choices, "paper")
        elif entry["status"] == "conflict_online" and voter in online and dual == "first":
            if paper_first(_moment(entry.get("handed_in_at")), received_of[voter]):
                counted[voter] = Counted(voter, choices, "paper")
                notes.append({"voter_no": voter, "set_aside": "online", "why": "dual_ballot_first"})
            else:
                notes.append({"voter_no": voter, "set_aside": "paper", "why": "dual_ballot_first"})
        elif entry["status"] == "conflict_online" and voter in online:
            if dual == "paper":
                counted[voter] = Counted(voter, choices, "paper")
                notes.append({"voter_no": voter, "set_aside": "online", "why": "dual_ballot_paper"})
            else:
                notes.append({"voter_no": voter, "set_aside": "paper", "why": "dual_ballot_online"})
        elif entry["status"] == "conflict_online":
            # the voter has no online ballot that counts (set aside above: late, revoked or unknown
            # key): a ballot that does not count conflicts with nothing, so the paper sheet counts
            counted[voter] = Counted(voter, choices, "paper")
        else:
            notes.append({"voter_no": voter, "set_aside": "paper", "why": entry["status"]})
    return counted, notes


def _share(part: int, whole: int, *, area: bool = False) -> str:
    """The counts behind a share as people check them, unreduced: ``187/253``, not ``17/23``
    (areas in square metres with two decimals: ``1234.56/1980.00``)."""
    if area:
        return f"{format_area(part)}/{format_area(whole)}"
    return f"{part}/{whole}"


def _percent(part: int, whole: int) -> str:
    if whole <= 0:
        return "0.00%"
    hundredths = (part * 10000 * 2 + whole) // (2 * whole)  # rounded half up, exact integers
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def _measure(
    total: int, participating: int, agree: int, oppose: int, abstain: int, area: bool
) -> dict[str, Any]:
    show = format_area if area else (lambda v: v)
    return {
        "total": show(total),
        "participating": show(participating),
        "agree": show(agree),
        "oppose": show(oppose),
        "abstain": show(abstain),
        "not_voted": show(total - participating),
    }


def _rule_dict(key: str, threshold: Threshold, participation: Threshold) -> dict[str, Any]:
    return {
        "key": key,
        "fraction": f"{threshold.fraction.numerator}/{threshold.fraction.denominator}",
        "inclusive": threshold.inclusive,
        "base": threshold.base,
        "description": threshold.describe(),
        "source": threshold.source.article,
        "participation": {
            "fraction": f"{participation.fraction.numerator}/{participation.fraction.denominator}",
            "inclusive": participation.inclusive,
            "base": participation.base,
            "description": participation.describe(),
            "source": participation.source.article,
        },
    }


class _Population(NamedTuple):
    """Who decides a motion: the voters (by number, with the area and heads they count with), their
    totals, and those of them taking part."""

    voters: dict[int, dict[str, Any]]
    area_total: int
    heads_total: int
    area_part: int
    heads_part: int
    participation_met: bool


def _population(
    voters: dict[int, dict[str, Any]], counted: dict[int, Counted], participation: Threshold
) -> _Population:
    area_total = sum(v["area_centi"] for v in voters.values())
    heads_total = sum(v["heads"] for v in voters.values())
    taking_part = [voters[n] for n in counted if n in voters]
    area_part = sum(v["area_centi"] for v in taking_part)
    heads_part = sum(v["heads"] for v in taking_part)
    met = participation.met(area_part, area_total) and participation.met(heads_part, heads_total)
    return _Population(voters, area_total, heads_total, area_part, heads_part, met)


def scope_voters(register_voters: list[dict[str, Any]], position: int) -> dict[int, dict[str, Any]]:
    """The voters of a motion of a part of the estate, with their share of it (§9.6): those whose
    ``scopes`` name the motion."""
    found: dict[int, dict[str, Any]] = {}
    for v in register_voters:
        for share in v.get("scopes") or ():
            if share.get("motion") == position:
                found[v["voter_no"]] = {"area_centi": share["area_centi"], "heads": share["heads"]}
    return found


def compute_tally(record: dict[str, Any]) -> dict[str, Any]:
    """The result of every motion, by area and by headcount, under the recorded rules; a motion of a
    part of the estate over that part's voters only (totals, quorum and thresholds)."""
    rules = record["rules"]
    thresholds = rules["thresholds"]
    participation = threshold_from_dict(thresholds["voting.participation"])
    matter_rules = rule_value(rules, "matter_rules", {})
    objection_matters = set(rule_value(rules, "objection_vote_matters", ()) or ())
    voters = {v["voter_no"]: v for v in record["register"]["voters"]}
    counted, notes = counted_ballots(record)
    estate = _population(voters, counted, participation)
    all_motions = record["meeting"]["motions"]
    scoped = scoped_positions(all_motions)
    resolution_sums = _resolution_sums(
        [m for m in all_motions if m["position"] not in scoped], counted, voters
    )
    motions = []
    for motion in all_motions:
        position = motion["position"]
        population = estate
        if position in scoped:
            population = _population(
                scope_voters(record["register"]["voters"], position), counted, participation
            )
            if motion["kind"] != "election":
                resolution_sums.update(_resolution_sums([motion], counted, population.voters))
        motions.append(
            _motion_result(
                motion,
                population,
                counted,
                resolution_sums.get(position),
                participation,
                thresholds,
                matter_rules.get(motion["matter"], "voting.ordinary"),
                objection_matters,
            )
        )
    meeting = record["meeting"]
    return {
        "protocol": TALLY_PROTOCOL,
        "meeting": meeting["meeting"],
        "title": meeting["title"],
        "profile": rules["code"],
        "profile_name": rules.get("name", rules["code"]),
        "voters": len(voters),
        "counted": {
            "total": len(counted),
            "online": sum(1 for c in counted.values() if c.source == "online"),
            "paper": sum(1 for c in counted.values() if c.source == "paper"),
        },
        "set_aside": notes,
        "motions": motions,
    }


def _motion_result(
    motion: dict[str, Any],
    population: _Population,
    counted: dict[int, Counted],
    sums: dict[str, list[int]] | None,
    participation: Threshold,
    thresholds: dict[str, Any],
    key: str,
    objection_matters: set[str],
) -> dict[str, Any]:
    threshold = threshold_from_dict(thresholds[key])
    voters, area_total, heads_total, area_part, heads_part, participation_met = population
    result: dict[str, Any] = {
        "motion": motion["position"],
        "title": motion["title"],
        "matter": motion["matter"],
        "kind": motion["kind"],
        "rule": _rule_dict(key, threshold, participation),
        "participation_met": participation_met,
    }
    prefixes = scope_of(motion)
    if prefixes:
        result["scope"] = {"prefixes": prefixes, "voters": len(voters)}
    if motion["kind"] == "election":
        result.update(
            _election(motion, counted, voters, threshold, area_part, heads_part, area_total, heads_total)
        )
        if not participation_met:
            result["winners"], result["passed"] = [], False
            for row in result["candidates"]:
                row["elected"] = False
            result["reason"] = (
                _reason(
                    participation,
                    False,
                    area_part,
                    area_total,
                    heads_part,
                    heads_total,
                    threshold,
                    0,
                    0,
                    0,
                    0,
                    False,
                    False,
                )
                + W["election_no_participation"]
            )
        result["area"] = _measure(area_total, area_part, 0, 0, 0, area=True)
        result["headcount"] = _measure(heads_total, heads_part, 0, 0, 0, area=False)
        for k in ("agree", "oppose", "abstain"):
            del result["area"][k], result["headcount"][k]
    else:
        assert sums is not None
        result["area"] = _measure(area_total, area_part, *(sums[c][0] for c in sums), area=True)
        result["headcount"] = _measure(heads_total, heads_part, *(sums[c][1] for c in sums), area=False)
        if motion["matter"] in objection_matters and "voting.objection" in thresholds:
            objection = threshold_from_dict(thresholds["voting.objection"])
            blocked_area = objection.met(sums["oppose"][0], area_total)
            blocked_heads = objection.met(sums["oppose"][1], heads_total)
            result["passed"] = not (blocked_area or blocked_heads)
            result["reason"] = W["objection"].format(
                rule=objection.reached_words(),
                area=_percent(sums["oppose"][0], area_total),
                area_fraction=_share(sums["oppose"][0], area_total, area=True),
                heads=_percent(sums["oppose"][1], heads_total),
                heads_fraction=_share(sums["oppose"][1], heads_total),
                outcome=W["passed"] if result["passed"] else W["failed"],
            )
            if not participation_met:  # the objection vote decides without the quorum: said, not hidden
                result["warning"] = "objection_below_quorum"
                area_share = _share(area_part, area_total, area=True)
                result["reason"] += W["objection_below_quorum"].format(
                    rule=participation.describe(),
                    area_share=f"{_percent(area_part, area_total)}（{area_share}）",
                    heads_share=f"{_percent(heads_part, heads_total)}（{_share(heads_part, heads_total)}）",
                )
        else:
            base_area = area_total if threshold.base == "total" else area_part
            base_heads = heads_total if threshold.base == "total" else heads_part
            area_ok = threshold.met(sums["agree"][0], base_area)
            heads_ok = threshold.met(sums["agree"][1], base_heads)
            result["passed"] = participation_met and area_ok and heads_ok
            result["reason"] = _reason(
                participation,
                participation_met,
                area_part,
                area_total,
                heads_part,
                heads_total,
                threshold,
                sums["agree"][0],
                base_area,
                sums["agree"][1],
                base_heads,
                area_ok,
                heads_ok,
            )
    if prefixes:
        words = SCOPE_WORDS["reason"].format(
            label=scope_label(prefixes), voters=len(voters), area=format_area(area_total)
        )
        result["reason"] = words + result["reason"]
    return result


def _resolution_sums(
    motions: list[dict[str, Any]], counted: dict[int, Counted], voters: dict[int, dict[str, Any]]
) -> dict[int, dict[str, list[int]]]:
    """Per resolution motion, the area and heads of each option, in one pass over the counted ballots
    (a motion a ballot does not answer is an abstention; an answer that is no option counts nowhere)."""
    sums = {
        m["position"]: {c: [0, 0] for c in ("agree", "oppose", "abstain")}
        for m in motions
        if m["kind"] != "election"
    }
    per_motion = list(sums.items())
    for number, ballot in counted.items():
        voter = voters.get(number)
        if voter is None:
            continue
        area, heads = voter["area_centi"], voter["heads"]
        choices = ballot.choices
        for position, options in per_motion:
            choice = choices.get(position, "abstain")
            bucket = options.get(choice) if type(choice) is str else None
            if bucket is not None:
                bucket[0] += area
                bucket[1] += heads
    return sums


def _reason(
    participation: Threshold,
    participation_met: bool,
    area_part: int,
    area_total: int,
    heads_part: int,
    heads_total: int,
    threshold: Threshold,
    agree_area: int,
    base_area: int,
    agree_heads: int,
    base_heads: int,
    area_ok: bool,
    heads_ok: bool,
) -> str:
    """The outcome in words, as the announcement states it."""
    parts = [
        W["participation"].format(
            area=format_area(area_part),
            area_share=_percent(area_part, area_total),
            area_fraction=_share(area_part, area_total, area=True),
            heads=heads_part,
            heads_share=_percent(heads_part, heads_total),
            heads_fraction=_share(heads_part, heads_total),
            rule=participation.describe(),
            met=W["met"] if participation_met else W["not_met"],
        )
    ]
    if not participation_met:
        missing = []
        if not participation.met(area_part, area_total):
            missing.append(W["area"])
        if not participation.met(heads_part, heads_total):
            missing.append(W["heads"])
        parts.append(W["participation_failed"].format(which="和".join(missing)))
        return "".join(parts)
    parts.append(
        W["agree"].format(
            base=W["base_total"] if threshold.base == "total" else W["base_participating"],
            area_share=_percent(agree_area, base_area),
            area_fraction=_share(agree_area, base_area, area=True),
            heads_share=_percent(agree_heads, base_heads),
            heads_fraction=_share(agree_heads, base_heads),
            rule=threshold.describe(),
        )
    )
    if area_ok and heads_ok:
        parts.append(W["both_met"])
    else:
        missing = [W["area"]] if not area_ok else []
        missing += [W["heads"]] if not heads_ok else []
        parts.append(W["not_reached"].format(which="和".join(missing)))
    return "".join(parts)


def _election(
    motion: dict[str, Any],
    counted: dict[int, Counted],
    voters: dict[int, dict[str, Any]],
    threshold: Threshold,
    area_part: int,
    heads_part: int,
    area_total: int,
    heads_total: int,
) -> dict[str, Any]:
    """Per candidate: area and heads of the ballots choosing them; winners are those meeting the rule,
    by headcount then area, up to the seats; a tie at the last seat elects neither."""
    candidates = motion["candidates"]
    votes = {c["id"]: [0, 0] for c in candidates}
    for number, ballot in counted.items():
        chosen = ballot.choices.get(motion["position"]) or []
        voter = voters.get(number)
        if voter is None or not isinstance(chosen, list):
            continue
        for cid in chosen:
            if cid in votes:
                votes[cid][0] += voter["area_centi"]
                votes[cid][1] += voter["heads"]
    base_area = area_total if threshold.base == "total" else area_part
    base_heads = heads_total if threshold.base == "total" else heads_part
    rows = []
    for c in candidates:
        area, heads = votes[c["id"]]
        rows.append(
            {
                "id": c["id"],
                "name": c["name"],
                "area": format_area(area),
                "headcount": heads,
                "area_share": _percent(area, base_area),
                "headcount_share": _percent(heads, base_heads),
                "qualified": threshold.met(area, base_area) and threshold.met(heads, base_heads),
                "_key": (heads, area),
            }
        )
    qualified = sorted((r for r in rows if r["qualified"]), key=lambda r: r["_key"], reverse=True)
    seats = motion["seats"]
    winners = qualified[:seats]
    tie = None
    if len(qualified) > seats and seats > 0 and qualified[seats]["_key"] == qualified[seats - 1]["_key"]:
        tied_key = qualified[seats - 1]["_key"]
        tie = [r["name"] for r in qualified if r["_key"] == tied_key]
        winners = [r for r in winners if r["_key"] != tied_key]
    elected = {r["id"] for r in winners}
    for r in rows:
        r["elected"] = r["id"] in elected
        del r["_key"]
    names = "、".join(r["name"] for r in winners) or W["nobody"]
    reason = W["election"].format(rule=threshold.describe(), names=names, seats=seats)
    if tie:
        reason += W["tie"].format(names="、".join(tie))
    return {
        "candidates": rows,
        "winners": [r["id"] for r in winners],
        "passed": bool(winners),
        "reason": reason,
    }


def tally_json(tally: dict[str, Any]) -> str:
    return json.dumps(tally, ensure_ascii=False, indent=2, sort_keys=False)
