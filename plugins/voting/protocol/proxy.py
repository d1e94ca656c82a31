"""Proxy ballots (委托投票, docs/protocol.md §8.1). Pure: the cast, the paper count and the verifier
apply the same rules.

A written authorisation names the motions the proxy may answer and, where the owner gave them, how to
answer each (``instructions``: choices in the ballot protocol's form). A sheet issued to a proxy
carries the authorisation in the record's credential entry::

    "proxy": {"proxy_no": 2, "authorisation": 5, "motions": [1, 2],
              "instructions": [{"motion": 1, "choice": "agree"}] | null, "scan_sha256": "…"}

``proxy_no`` numbers the proxy as a person within the meeting (the same for all of their principals),
so the profile's cap on owners per proxy (``rules.voting.proxy_cap``) can be checked from the record.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from typing import Any

from plugins.voting.protocol.ballot import MotionSpec


def _answer(choice: dict[str, Any]) -> Any:
    """A choice's answer, comparable: the option, or the candidates as a sorted tuple."""
    if "choice" in choice:
        return choice["choice"]
    candidates = choice.get("candidates")
    return tuple(sorted(candidates)) if isinstance(candidates, list) else candidates


def proxy_problem(choices: list[dict[str, Any]], authorisation: dict[str, Any]) -> str | None:
    """Why a proxy's choices exceed the authorisation (a message code), or None: every answered
    motion must be authorised, and each motion the owner gave an instruction for is answered exactly
    so (the authorised motions without one are the proxy's to answer)."""
    allowed = set(authorisation.get("motions") or ())
    answered = {c.get("motion"): c for c in choices if isinstance(c, dict)}
    if any(position not in allowed for position in answered):
        return "voting_cast_proxy_motion"
    instructions = authorisation.get("instructions")
    if instructions:
        want = {i["motion"]: _answer(i) for i in instructions}
        if any(p not in answered or _answer(answered[p]) != a for p, a in want.items()):
            return "voting_cast_proxy_instructions"
    return None


def proxy_specs(motions: list[MotionSpec], allowed: list[int] | set[int]) -> list[MotionSpec]:
    """The motions as a proxy's ballot is checked against: those outside the authorisation may be left
    out (a ballot that answers one is then refused by :func:`proxy_problem`)."""
    return [m if m.position in allowed else replace(m, scoped=True) for m in motions]


def authorisation_of(motions: Any, instructions: Any) -> dict[str, Any]:
    """An authorisation from stored texts (JSON): ``{"motions", "instructions"}``."""
    return {
        "motions": json.loads(motions) if isinstance(motions, str) else motions,
        "instructions": json.loads(instructions) if isinstance(instructions, str) and instructions else None,
    }


def principals_by_proxy(credentials: list[dict[str, Any]]) -> dict[Any, set[Any]]:
    """proxy_no → the voters whose sheets were issued to that proxy (over the whole record)."""
    found: dict[Any, set[Any]] = defaultdict(set)
    for credential in credentials:
        proxy = credential.get("proxy")
        if isinstance(proxy, dict):
            found[proxy.get("proxy_no")].add(credential.get("voter_no"))
    return dict(found)


def over_cap(credentials: list[dict[str, Any]], cap: int | None) -> list[tuple[Any, int]]:
    """The proxies representing more voters than ``cap`` allows: (proxy_no, count)."""
    if cap is None:
        return []
    return sorted(
        (
            (number, len(voters))
            for number, voters in principals_by_proxy(credentials).items()
            if len(voters) > cap
        ),
        key=lambda item: str(item[0]),
    )
