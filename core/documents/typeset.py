"""Typesetting decisions LibreOffice and Word cannot make for Chinese official documents.

Chinese line breaking breaks between any two characters, so a long title wraps mid-word (…会议表/决结果
公告). :func:`title_lines` chooses the breaks itself — between words, lines about as long as each other,
none wider than the line — and templates print the title with ``{{ title|title_lines }}`` (docxtpl turns
the ``\\n`` into line breaks). :func:`fit_half_points` shrinks the red issuing-office header
(发文机关标志) so it stays on one line.
"""

from __future__ import annotations

import itertools
import math
import unicodedata

#: Text width of the GB/T 9704 page: 210 mm - 28 mm - 26 mm, in points.
TEXT_WIDTH_PT = 156 / 25.4 * 72

#: Words a title line may end with (a break after them reads naturally).
_ENDS = (
    "关于",
    "召开",
    "开展",
    "印发",
    "转发",
    "的",
    "会议",
    "大会",
    "年度",
    "年",
    "次",
    "届",
    "期",
    "号",
    "小区",
    "花园",
    "公司",
    "委员会",
    "街道",
    "事务所",
    "中心",
    "情况",
    "事项",
)
#: Words a title line may start with.
_STARTS = (
    "关于",
    "召开",
    "表决",
    "结果",
    "送达",
    "核查",
    "住房",
    "责令",
    "改正",
    "移送",
    "检查",
    "认定",
    "业主",
    "选举",
    "公告",
    "通知",
    "报告",
    "记录",
    "回证",
    "情况",
    "的",
)
#: Words a break must not split (where the title leaves another choice).
_WORDS = (
    "年度",
    "业主大会",
    "业主委员会",
    "委员会",
    "会议",
    "表决",
    "结果",
    "公告",
    "通知",
    "报告",
    "记录",
    "核查",
    "住房",
    "状况",
    "工作",
    "送达",
    "责令",
    "改正",
    "移送",
    "群租",
    "房屋",
    "管理",
    "事务所",
    "检查",
    "认定",
    "小区",
    "花园",
    "临时",
    "第一次",
)
_OPENING = "（《“‘〔【([<"
_CLOSING = "）》”’〕】)]>，。、；：！？,.;:!?"


def char_width(char: str) -> float:
    """Width in ems: a CJK or full-width character is 1, a Latin letter or digit about half."""
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55


def text_width(text: str) -> float:
    return sum(char_width(c) for c in text)


def _break_cost(text: str, i: int) -> float | None:
    """The cost of a line break before ``text[i]``; None where a break is not allowed."""
    before, after = text[i - 1], text[i]
    if after in _CLOSING or before in _OPENING:
        return None
    if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
        return None  # inside a Latin word or a number
    if before.isdigit() or (after.isdigit() and before == "第"):
        return None  # 2027年, 第3次 stay whole
    if before in _CLOSING or after in _OPENING:
        return 0.5
    head, tail = text[:i], text[i:]
    for word in _WORDS:  # inside a word: the last resort
        for cut in range(1, len(word)):
            if head.endswith(word[:cut]) and tail.startswith(word[cut:]):
                return 50.0
    if any(head.endswith(w) for w in _ENDS) or any(tail.startswith(w) for w in _STARTS):
        return 0.0
    return 10.0


def title_lines(title: object, per_line: float = 20) -> str:
    """``title`` with ``\\n`` where its lines should break: none if it fits on one line of
    ``per_line`` ems, else as few lines as fit, broken between words and balanced in length."""
    text = " ".join(str(title or "").split())
    total = text_width(text)
    if total <= per_line or len(text) < 2:
        return text
    best: tuple[float, list[int]] | None = None
    for count in range(math.ceil(total / per_line), len(text) + 1):
        best = _best_breaks(text, count, per_line)
        if best is not None:
            break
    if best is None:
        return text
    cuts = [0, *best[1], len(text)]
    return "\n".join(text[a:b].strip() for a, b in itertools.pairwise(cuts))


def _best_breaks(text: str, lines: int, per_line: float) -> tuple[float, list[int]] | None:
    """The cheapest ``lines - 1`` breaks (dynamic programming over break positions)."""
    n = len(text)
    ideal = text_width(text) / lines
    prefix = [0.0]
    for c in text:
        prefix.append(prefix[-1] + char_width(c))
    costs = {i: _break_cost(text, i) for i in range(1, n)}
    # table[k][i]: the best cost of k lines covering text[:i], with the breaks
    table: list[dict[int, tuple[float, list[int]]]] = [{0: (0.0, [])}]
    for k in range(1, lines + 1):
        row: dict[int, tuple[float, list[int]]] = {}
        ends = [n] if k == lines else [i for i in range(1, n) if costs[i] is not None]
        for end in ends:
            for start, (cost, breaks) in table[k - 1].items():
                if start >= end:
                    continue
                width = prefix[end] - prefix[start]
                if width > per_line:
                    continue
                here = cost + abs(width - ideal) + (0.0 if end == n else 10 * (costs[end] or 0.0))
                if end not in row or here < row[end][0]:
                    row[end] = (here, breaks + ([end] if end != n else []))
        table.append(row)
    return table[lines].get(n)


def fit_half_points(text: object, size_pt: float = 30, minimum_pt: float = 16) -> int:
    """The font size (in half points, as ``w:sz`` wants it) at which ``text`` fits on one line of the
    text width: ``size_pt`` if it fits, smaller for a long office name, never below ``minimum_pt``."""
    width = text_width(str(text or "")) + 0.5  # a little room for the side bearings
    fitting = TEXT_WIDTH_PT / width if width else size_pt
    return int(max(minimum_pt, min(size_pt, fitting)) * 2)


def short_code(fingerprint: str, digits: int = 16) -> str:
    """A fingerprint (a hash, a key in hex) as the short code a reader compares: its first
    ``digits`` characters in groups of four (``3f2a 9c1b 0d4e 7788``), joined by no-break spaces so a
    line never breaks inside the code."""
    head = (fingerprint or "")[:digits]
    return "\u00a0".join(head[i : i + 4] for i in range(0, len(head), 4))
