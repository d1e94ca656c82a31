"""Motions put to a part of the estate (Civil Code Art. 278; 《住宅专项维修资金管理办法》 Art. 22: the
owners who share a cost decide on it): a motion's **scope** is a list of unit-code prefixes — a building
(``2``), a building's entrance (``3-2``), any leading part of the register's unit codes — and the
motion is decided by the owners of the units under them, with totals, quorum and thresholds computed
over that part (docs/protocol.md §9.6). Pure functions: the server, the tally and the verifier share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from plugins.voting.messages import SCOPE_WORDS

#: Characters after which a unit code's next part begins (``2-101``: building ``2``).
SEPARATORS = frozenset("-._#/")
#: Words that end a part of a Chinese unit code (``2栋101``, ``3号楼2单元1502``): a prefix ending in one
#: of them ends at a part's boundary.
PART_ENDINGS = ("栋", "幢", "楼", "座", "单元", "区", "期")
MAX_PREFIXES = 50
PREFIX_RE = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff._\-#/]{0,63}$")


def covers(prefix: str, unit_code: str) -> bool:
    """Whether the unit ``unit_code`` lies under ``prefix``: the code is the prefix, or begins with it
    at a part's boundary (``2`` covers ``2-101`` and ``2``, not ``21-101``; ``3-2`` covers ``3-2-1502``,
    not ``3-21-101``; ``2栋`` covers ``2栋101``)."""
    if unit_code == prefix:
        return True
    if not unit_code.startswith(prefix):
        return False
    return unit_code[len(prefix)] in SEPARATORS or prefix.endswith(PART_ENDINGS)


def in_scope(unit_code: str, prefixes: Iterable[str]) -> bool:
    return any(covers(p, unit_code) for p in prefixes)


def normalise_prefixes(prefixes: Iterable[str]) -> list[str]:
    """The prefixes as stored: each entry split where a person lists several (``2, 3-2`` / ``2、3-2``
    / one per line), stripped, without repeats, in the order given."""
    seen: dict[str, None] = {}
    for entry in prefixes:
        for text in re.split(r"[,，、;；\s]+", entry):
            if text:
                seen.setdefault(text, None)
    return list(seen)


def split_prefixes(text: str) -> list[str]:
    """What a form field holds (``2, 3-2`` / ``2、3-2`` / one per line) as a list of prefixes."""
    return normalise_prefixes([text])


def prefix_label(prefix: str) -> str:
    """``2`` → 2号楼, ``3-2`` → 3号楼2单元, ``2栋`` → 2栋, ``A`` → 房号以“A”开头的房屋."""
    if re.fullmatch(r"\d+", prefix):
        return SCOPE_WORDS["building"].format(b=prefix)
    entrance = re.fullmatch(r"(\d+)-(\d+)", prefix)
    if entrance:
        return SCOPE_WORDS["entrance"].format(b=entrance.group(1), u=entrance.group(2))
    if prefix.endswith(PART_ENDINGS):
        return SCOPE_WORDS["part"].format(p=prefix)
    return SCOPE_WORDS["prefix"].format(p=prefix)


def scope_label(prefixes: Sequence[str]) -> str:
    """A scope in words (``2号楼、3号楼2单元``); the whole estate when there are no prefixes."""
    if not prefixes:
        return SCOPE_WORDS["whole"]
    return SCOPE_WORDS["joiner"].join(prefix_label(p) for p in prefixes)


def scope_of(motion: dict[str, Any]) -> list[str]:
    """A record motion's prefixes (``[]``: the whole estate; records before scopes have no member)."""
    scope = motion.get("scope")
    return list(scope) if isinstance(scope, list) else []


def scoped_positions(motions: Sequence[dict[str, Any]]) -> dict[int, list[str]]:
    """The scoped motions of a meeting: position → prefixes."""
    return {m["position"]: scope_of(m) for m in motions if scope_of(m)}


def voter_scopes(
    unit_codes: Sequence[str], area_of: dict[str, int], heads: int, scoped: dict[int, list[str]]
) -> list[dict[str, int]]:
    """A voter's share of each scoped motion they take part in: ``[{"motion", "area_centi", "heads"}]``
    in motion order — the area of their units under the scope, and their heads (a voter is one group
    of units under the headcount rule, so they count as one owner of the part if they own any unit in
    it)."""
    shares = []
    for position, prefixes in sorted(scoped.items()):
        inside = [code for code in unit_codes if in_scope(code, prefixes)]
        if inside:
            shares.append(
                {"motion": position, "area_centi": sum(area_of.get(c, 0) for c in inside), "heads": heads}
            )
    return shares


def attach_scopes(register: dict[str, Any], motions: Sequence[dict[str, Any]]) -> None:
    """Give each voter of a v1-shaped register (units listed) their ``scopes``, when the meeting has
    scoped motions (a meeting without any keeps the register as it was)."""
    scoped = scoped_positions(motions)
    if not scoped:
        return
    area_of = {u["unit_code"]: int(u["area_centi"]) for u in register["units"]}
    for voter in register["voters"]:
        voter["scopes"] = voter_scopes(voter["units"], area_of, voter["heads"], scoped)


def applicable_motions(
    positions: Iterable[int], scoped: dict[int, list[str]], unit_codes: Sequence[str]
) -> list[int]:
    """The motions a voter owning ``unit_codes`` answers: every motion of the whole estate, and each
    scoped one with a unit of theirs under it."""
    return [p for p in positions if p not in scoped or any(in_scope(code, scoped[p]) for code in unit_codes)]


def unmatched_prefixes(prefixes: Iterable[str], unit_codes: Iterable[str]) -> list[str]:
    """The prefixes no unit of the register lies under (a typo, or a building not in the register)."""
    codes = list(unit_codes)
    return [p for p in prefixes if not any(covers(p, c) for c in codes)]


def first_part(unit_code: str) -> str:
    """The first part of a unit code, the building (``2-101`` → ``2``; ``3号楼2单元1502`` → ``3号楼``;
    ``2栋101`` → ``2栋``); ``""`` when the code has a single part."""
    cut = next((i for i, ch in enumerate(unit_code) if ch in SEPARATORS), None)
    for word in ("栋", "幢", "号楼", "座"):
        at = unit_code.find(word)
        if at > 0 and (cut is None or at + len(word) <= cut):
            return unit_code[: at + len(word)] if at + len(word) < len(unit_code) else ""
    return unit_code[:cut] if cut else ""


def buildings(unit_codes: Iterable[str]) -> list[tuple[str, int]]:
    """The register's buildings and how many units each holds, in natural order — what the meeting
    form offers to tick."""
    from plugins.voting.protocol.rules import natural_key

    counts: dict[str, int] = {}
    for code in unit_codes:
        part = first_part(code)
        if part:
            counts[part] = counts.get(part, 0) + 1
    return sorted(counts.items(), key=lambda item: natural_key(item[0]))
