"""Live turnout of an open meeting: how many owners, and how much exclusive area, have taken part so
far (an online ballot received, or a paper sheet entered and counted), against the participation
quorum frozen at publication (Civil Code Art. 278: two thirds of the area and of the owners).

Only participation is shown while voting is open — never how anyone voted: the tally is computed
from the sealed record alone. Compared exactly (integers and the profile's fraction), as the tally
does; the percentages are for people.
"""

from __future__ import annotations

from typing import Any

from core import json_value
from plugins.voting.messages import TURNOUT_WORDS as W
from plugins.voting.protocol.tally import threshold_from_dict
from plugins.voting.tables import VotingBallot, VotingPaperBallot, VotingVoter


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


async def turnout(meeting: dict[str, Any]) -> dict[str, Any]:
    """Participation so far, by area and by headcount, with the quorum line of each."""
    voters = await VotingVoter.select(VotingVoter.voter_no, VotingVoter.area_centi, VotingVoter.heads).where(
        VotingVoter.meeting == meeting["id"]
    )
    online = {
        r["voter_no"]
        for r in await VotingBallot.select(VotingBallot.voter_no).where(VotingBallot.meeting == meeting["id"])
    }
    paper = {
        r["voter_no"]
        for r in await VotingPaperBallot.select(VotingPaperBallot.voter_no).where(
            (VotingPaperBallot.meeting == meeting["id"]) & (VotingPaperBallot.status != "revoked")
        )
    }
    taking_part = online | paper
    area_total = sum(int(v["area_centi"]) for v in voters)
    heads_total = sum(int(v["heads"]) for v in voters)
    area_part = sum(int(v["area_centi"]) for v in voters if v["voter_no"] in taking_part)
    heads_part = sum(int(v["heads"]) for v in voters if v["voter_no"] in taking_part)
    rules = json_value(meeting["rules_snapshot"]) or {}
    quorum = threshold_from_dict(rules["thresholds"]["voting.participation"])
    line = float(100 * quorum.fraction)
    measures = []
    for key, part, whole in (("area", area_part, area_total), ("heads", heads_part, heads_total)):
        met = quorum.met(part, whole)
        measures.append(
            {
                "key": key,
                "label": W[f"{key}_label"],
                "part": part,
                "whole": whole,
                "percent": _percent(part, whole),
                "met": met,
                "words": W[f"{key}_words"].format(
                    part=f"{part / 100:,.2f}" if key == "area" else part,
                    whole=f"{whole / 100:,.2f}" if key == "area" else whole,
                    percent=_percent(part, whole),
                ),
            }
        )
    met = all(m["met"] for m in measures)
    return {
        "voters": len(voters),
        "taking_part": len(taking_part),
        "online": len(online),
        "paper": len(paper - online),
        "quorum_percent": round(line, 1),
        "quorum_words": W["quorum"].format(rule=quorum.describe(), article=quorum.source.article),
        "measures": measures,
        "met": met,
        "summary": W["met" if met else "not_met"],
    }
