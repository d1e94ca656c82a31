"""Paper ballots entered at the public count (唱票、计票、监票).

A counter (计票人) types what a returned sheet says, by the serial printed on it, and names the
scrutineer (监票人) who checked the entry; or imports a whole count sheet (CSV/XLSX: ``serial`` and one
column per motion), all or nothing. Entries are accepted once voting has closed and until the meeting
is sealed.

A sheet whose voter also voted online is stored as ``conflict_online`` and listed; the profile's rule
``voting.dual_ballot`` (``online``, ``paper`` or ``first``: the one received first) decides which of the
two the tally counts. A sheet that had been revoked (lost, reissued) is stored as ``revoked``, listed, and
never counts. Each sheet may carry the time it was handed in (交回时间, to the minute, in the district's
time): a sheet handed in after voting closed is stored as ``late`` and never counts; under ``first`` the
time is required of a sheet whose voter also voted online. The same sheet entered twice is refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import rfc8785

from core import (
    BadRequest,
    Column,
    Conflict,
    DistrictInfo,
    Invalid,
    RowProblem,
    Runtime,
    WuyeError,
    bulk_insert,
    district_now,
    json_value,
    message,
    people_names,
    people_time,
    read_table,
    record_audit,
    template_xlsx,
    transaction,
)
from plugins.voting.messages import (
    COUNT_SHEET_WORDS,
    DUAL_BALLOT_WORDS,
    EXPORT_WORDS,
    count_sheet_columns,
    label,
)
from plugins.voting.protocol.ballot import BallotError, MotionSpec, check_choices
from plugins.voting.protocol.proxy import authorisation_of, proxy_problem
from plugins.voting.protocol.rules import parse_sheet_serial
from plugins.voting.protocol.scope import in_scope, scope_label
from plugins.voting.protocol.tally import MINUTE, paper_first
from plugins.voting.services.cast import meeting_scopes, motion_specs
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.scrutineers import confirm_entries
from plugins.voting.tables import (
    VotingBallot,
    VotingCredential,
    VotingMotion,
    VotingOfficial,
    VotingPaperBallot,
    VotingProxy,
    VotingVoter,
)

#: What a counter may type for a resolution (the sheet's printed words or the protocol's).
RESOLUTION_WORDS = {
    "agree": "agree",
    "同意": "agree",
    "赞成": "agree",
    "oppose": "oppose",
    "反对": "oppose",
    "不同意": "oppose",
    "abstain": "abstain",
    "弃权": "abstain",
    "": "abstain",  # nothing marked: counted as taking part, neither for nor against
}
CANDIDATE_SEPARATORS = (";", "；", "、", ",", "，", "|")
MAX_SHEET_ROWS = 200_000


@dataclass(frozen=True)
class PaperEntry:
    """One paper sheet as read at the count, before it is checked against the register."""

    serial: str
    values: dict[int, str]  #: motion position -> what the sheet says
    row: int = 0  #: the count sheet's row (0: entered one by one, numbered by position)
    handed_in: str = ""  #: when it was handed in (交回时间) as typed, in the district's time; "" unknown


_HANDED_IN = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*[T\s]?\s*"
    r"(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]\s*(\d{1,2})(?:\.\d+)?)?$"
)


def parse_handed_in(text: str, timezone: str) -> datetime | None:
    """A hand-in time as counters type it or Excel stores it (``2026-12-20 14:30``, ``2026/12/20 14:30:00``,
    ``2026年12月20日 14时30分``, ``2026-12-20T14:30``), in the district's time zone, to the minute (UTC);
    ``None`` for a blank; :class:`ValueError` for anything else."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return None
    found = _HANDED_IN.match(raw)
    if found is None:
        raise ValueError(raw)
    year, month, day, hour, minute = (int(found.group(i)) for i in range(1, 6))
    if not 2000 <= year <= 2099:  # no meeting's sheet (and year 1 would overflow in UTC)
        raise ValueError(raw)
    local = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)


def parse_choices(values: dict[int, str], motions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The protocol's choices list from what the counter typed per motion; :class:`BallotError`."""
    choices: list[dict[str, Any]] = []
    for motion in motions:
        raw = (values.get(motion["position"]) or "").strip()
        if motion["kind"] == "resolution":
            word = RESOLUTION_WORDS.get(raw.lower())
            if word is None:
                raise BallotError("voting_cast_bad_option", motion=motion["position"])
            choices.append({"motion": motion["position"], "choice": word})
            continue
        candidates = json_value(motion["candidates"])
        by_name = {c["name"]: c["id"] for c in candidates} | {c["id"]: c["id"] for c in candidates}
        text = raw
        for sep in CANDIDATE_SEPARATORS[1:]:
            text = text.replace(sep, CANDIDATE_SEPARATORS[0])
        names = [n.strip() for n in text.split(CANDIDATE_SEPARATORS[0]) if n.strip()]
        if any(n not in by_name for n in names):
            raise BallotError("voting_cast_bad_option", motion=motion["position"])
        choices.append({"motion": motion["position"], "candidates": [by_name[n] for n in names]})
    return choices


async def _context(
    district: DistrictInfo, public_id: str, scrutineer: str, now: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]], list[MotionSpec]]:
    meeting = await get_meeting(public_id, district)
    if meeting["status"] == "sealed":
        raise Conflict("voting_paper_sealed")
    if meeting["status"] not in {"open", "closed"}:
        raise Conflict("voting_paper_not_open", status=label(f"status.{meeting['status']}"))
    if meeting["status"] == "open" and now < meeting["voting_closes"]:
        raise Conflict("voting_paper_before_close")
    scrutineers = {
        r["name"]
        for r in await VotingOfficial.select(VotingOfficial.name).where(
            (VotingOfficial.meeting == meeting["id"]) & (VotingOfficial.role == "scrutineer")
        )
    }
    if scrutineer.strip() not in scrutineers:
        raise BadRequest("voting_paper_not_scrutineer", name=scrutineer.strip() or "（空）")
    motions = (
        await VotingMotion.select()
        .where(VotingMotion.meeting == meeting["id"])
        .order_by(VotingMotion.position)
    )
    return meeting, motions, await motion_specs(meeting["id"])


async def _classify(
    meeting_id: int, entries: list[tuple[int, PaperEntry]]
) -> tuple[list[dict], list[RowProblem]]:
    """Match sheets to voters and credentials; rows for the table, and problems by row."""
    voters = {
        r["serial"]: r["voter_no"]
        for r in await VotingVoter.select(VotingVoter.serial, VotingVoter.voter_no).where(
            VotingVoter.meeting == meeting_id
        )
    }
    credentials: dict[tuple[int, int], bool] = {
        (r["voter_no"], r["version"]): r["revoked_at"] is not None
        for r in await VotingCredential.select(
            VotingCredential.voter_no, VotingCredential.version, VotingCredential.revoked_at
        ).where(VotingCredential.meeting == meeting_id)
    }
    online = {
        r["voter_no"]
        for r in await VotingBallot.select(VotingBallot.voter_no).where(VotingBallot.meeting == meeting_id)
    }
    entered = {
        r["sheet_serial"]: r
        for r in await VotingPaperBallot.select(
            VotingPaperBallot.sheet_serial, VotingPaperBallot.entered_by, VotingPaperBallot.entered_at
        ).where(VotingPaperBallot.meeting == meeting_id)
    }
    rows: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for number, entry in entries:
        parsed = parse_sheet_serial(entry.serial)
        if parsed is None or parsed[0] not in voters:
            problems.append(_problem(number, "serial", "voting_paper_bad_serial", serial=entry.serial))
            continue
        sheet = entry.serial.strip()
        voter_no = voters[parsed[0]]
        if (voter_no, parsed[1]) not in credentials:
            problems.append(_problem(number, "serial", "voting_paper_not_issued", serial=sheet))
            continue
        if sheet in entered:
            first = entered[sheet]
            problems.append(
                _problem(number, "serial", "voting_paper_duplicate", serial=sheet, by=first["entered_by"])
            )
            continue
        if sheet in seen:
            problems.append(
                _problem(number, "serial", "voting_paper_duplicate_row", serial=sheet, first=seen[sheet])
            )
            continue
        seen[sheet] = number
        if credentials[(voter_no, parsed[1])]:
            status = "revoked"
        elif voter_no in online:
            status = "conflict_online"
        else:
            status = "counted"
        rows.append({"voter_no": voter_no, "sheet_serial": sheet, "version": parsed[1], "status": status})
    return rows, problems


async def _apply_scopes(
    meeting_id: int,
    rows: list[dict[str, Any]],
    numbered: list[tuple[int, PaperEntry]],
    choices_of: dict[int, list[dict[str, Any]]],
) -> list[RowProblem]:
    """A sheet answers the motions of a part of the estate only where its voter owns a unit there
    (protocol/scope.py): the choices of the others are dropped, and a sheet that marks one (a sheet
    printed with no such line cannot, so it is a misreading) is a problem of its row."""
    scoped = await meeting_scopes(meeting_id)
    if not scoped:
        return []
    units = {
        r["voter_no"]: json_value(r["unit_codes"])
        for r in await VotingVoter.select(VotingVoter.voter_no, VotingVoter.unit_codes).where(
            VotingVoter.meeting == meeting_id
        )
    }
    entry_of = {entry.serial.strip(): (number, entry) for number, entry in numbered}
    problems = []
    for row in rows:
        number, entry = entry_of[row["sheet_serial"]]
        codes = units.get(row["voter_no"], [])
        outside = {p for p, prefixes in scoped.items() if not any(in_scope(c, prefixes) for c in codes)}
        for position in sorted(outside):
            if (entry.values.get(position) or "").strip():
                label = scope_label(scoped[position])
                problems.append(
                    _problem(
                        number, f"motion {position}", "voting_cast_out_of_scope", motion=position, scope=label
                    )
                )
        choices_of[number] = [c for c in choices_of[number] if c["motion"] not in outside]
    return problems


async def _apply_proxies(
    meeting_id: int,
    rows: list[dict[str, Any]],
    numbered: list[tuple[int, PaperEntry]],
    choices_of: dict[int, list[dict[str, Any]]],
) -> list[RowProblem]:
    """A proxy's sheet (§8.1) answers only the motions of its authorisation (the others print a dash:
    a mark there is a problem of its row, a blank is dropped), as the authorisation instructs."""
    proxies = {
        (r["voter_no"], r["version"]): authorisation_of(r["motions"], r["instructions"])
        for r in await VotingProxy.select(
            VotingProxy.voter_no, VotingProxy.version, VotingProxy.motions, VotingProxy.instructions
        ).where(VotingProxy.meeting == meeting_id)
    }
    if not proxies:
        return []
    entry_of = {entry.serial.strip(): (number, entry) for number, entry in numbered}
    problems = []
    for row in rows:
        authorisation = proxies.get((row["voter_no"], row["version"]))
        if authorisation is None:
            continue
        number, entry = entry_of[row["sheet_serial"]]
        allowed = set(authorisation["motions"])
        marked = [p for p in sorted(entry.values) if p not in allowed and (entry.values.get(p) or "").strip()]
        if marked:
            problems.append(_problem(number, f"motion {marked[0]}", "voting_cast_proxy_motion"))
            continue
        choices_of[number] = [c for c in choices_of[number] if c["motion"] in allowed]
        code = proxy_problem(choices_of[number], authorisation)
        if code is not None:
            problems.append(_problem(number, "serial", code))
    return problems


def _handed_in(
    entry: PaperEntry,
    number: int,
    meeting: dict[str, Any],
    profile: Any,
    now: datetime,
    handed_of: dict[int, datetime | None],
) -> RowProblem | None:
    """Read a sheet's hand-in time into ``handed_of``; the problem of its row, if any."""
    try:
        at = parse_handed_in(entry.handed_in, profile.timezone)
    except ValueError:
        return _problem(number, "handed_in", "voting_paper_handed_in_bad", value=entry.handed_in.strip())
    if at is not None and at > now:
        return _problem(number, "handed_in", "voting_paper_handed_in_future", at=people_time(at, profile))
    opened = meeting.get("opened_at")
    if at is not None and opened is not None and at + MINUTE <= opened:
        return _problem(
            number,
            "handed_in",
            "voting_paper_handed_in_early",
            at=people_time(at, profile),
            opened=people_time(opened, profile),
        )
    handed_of[number] = at
    return None


def _apply_hand_in(
    runtime: Runtime,
    meeting: dict[str, Any],
    rows: list[dict[str, Any]],
    numbered: list[tuple[int, PaperEntry]],
    handed_of: dict[int, datetime | None],
) -> list[RowProblem]:
    """A sheet handed in after voting closed is ``late`` (never counts; a revoked sheet stays
    ``revoked``); under the ``first`` rule a sheet whose voter also voted online needs its time."""
    number_of = {entry.serial.strip(): number for number, entry in numbered}
    first = dual_ballot_rule(runtime, meeting) == "first"
    problems = []
    for row in rows:
        number = number_of[row["sheet_serial"]]
        at = handed_of[number]
        if row["status"] != "revoked" and at is not None and at >= meeting["voting_closes"]:
            row["status"] = "late"
        elif row["status"] == "conflict_online" and first and at is None:
            problems.append(
                _problem(number, "handed_in", "voting_paper_handed_in_required", serial=row["sheet_serial"])
            )
    return problems


def _problem(row: int, column: str, code: str, /, **fmt: Any) -> RowProblem:
    return RowProblem(row, column, code, message(code, **fmt))


async def enter_paper_ballots(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    actor: str,
    entries: list[PaperEntry],
    *,
    scrutineer: str,
    passphrase: str,
    source: str = "console",
) -> dict[str, Any]:
    """Check and store paper entries, all or nothing; the outcome of each (counted or listed). Each
    entry is signed with the scrutineer's key, opened with their ``passphrase`` (§8.2)."""
    now = await district_now(district)
    meeting, motions, specs = await _context(district, public_id, scrutineer, now)
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    problems: list[RowProblem] = []
    numbered: list[tuple[int, PaperEntry]] = []
    choices_of: dict[int, list[dict[str, Any]]] = {}
    handed_of: dict[int, datetime | None] = {}
    for number, entry in enumerate(entries, start=2 if source == "count_sheet" else 1):
        number = entry.row or number
        problem = _handed_in(entry, number, meeting, profile, now, handed_of)
        if problem is not None:
            problems.append(problem)
            continue
        try:
            choices_of[number] = check_choices(parse_choices(entry.values, motions), specs)
        except BallotError as exc:
            problems.append(
                _problem(number, f"motion {exc.values.get('motion', '')}", exc.code, **exc.values)
            )
            continue
        numbered.append((number, entry))
    rows, classify_problems = await _classify(meeting["id"], numbered)
    problems.extend(classify_problems)
    problems.extend(_apply_hand_in(runtime, meeting, rows, numbered, handed_of))
    problems.extend(await _apply_scopes(meeting["id"], rows, numbered, choices_of))
    problems.extend(await _apply_proxies(meeting["id"], rows, numbered, choices_of))
    if problems:
        problems.sort(key=lambda p: p.row)
        if source == "console" and len(entries) == 1:
            raise WuyeError(problems[0].code, problems[0].message, status_code=_status(problems[0].code))
        raise Invalid(
            "voting_count_sheet_invalid", count=len(problems), details=[p.to_dict() for p in problems]
        )
    by_serial = {entry.serial.strip(): number for number, entry in numbered}
    records = [
        {
            "meeting": meeting["id"],
            **row,
            "choices": rfc8785.dumps(choices_of[by_serial[row["sheet_serial"]]]).decode(),
            "entered_by": actor,
            "confirmed_by": scrutineer.strip(),
            "entered_at": now,
            "source": source,
            "handed_in_at": handed_of[by_serial[row["sheet_serial"]]],
        }
        for row in rows
    ]
    await confirm_entries(meeting, records, scrutineer.strip(), passphrase, actor)
    try:
        async with transaction(VotingPaperBallot._meta.db):
            await bulk_insert(VotingPaperBallot, records)
            await record_audit(
                actor,
                "voting.paper_entry" if source == "console" else "voting.count_sheet_import",
                district=district.slug,
                target=public_id,
                details={
                    "sheets": [r["sheet_serial"] for r in records],
                    "statuses": _counts(records),
                    "scrutineer": scrutineer.strip(),
                },
            )
    except WuyeError:
        raise
    except Exception as exc:  # a concurrent entry of the same sheet (unique index)
        raise Conflict("voting_paper_concurrent") from exc
    return {
        "meeting": public_id,
        "entered": len(records),
        "statuses": _counts(records),
        "entries": [
            {
                "serial": r["sheet_serial"],
                "status": r["status"],
                "message": status_message(runtime, r["status"], meeting),
            }
            for r in records
        ],
    }


def _status(code: str) -> int:
    return 409 if code in {"voting_paper_duplicate", "voting_paper_duplicate_row"} else 422


def _counts(records: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {"counted": 0, "conflict_online": 0, "revoked": 0, "late": 0}
    for r in records:
        counts[r["status"]] += 1
    return counts


def dual_ballot_rule(runtime: Runtime, meeting: dict[str, Any]) -> str:
    """``online``, ``paper`` or ``first``: which ballot counts when a voter used both (the published
    snapshot)."""
    snapshot = json_value(meeting["rules_snapshot"]) or {}
    rule = snapshot.get("rules", {}).get("voting", {}).get("dual_ballot")
    if rule:
        return str(rule["value"])
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    return str(profile.rule("voting", "dual_ballot", "online"))


def status_message(runtime: Runtime, status: str, meeting: dict[str, Any]) -> str:
    if status == "conflict_online":
        return message(f"voting_paper_status_conflict_{dual_ballot_rule(runtime, meeting)}")
    return message(f"voting_paper_status_{status}")


def count_sheet_spec(motions: list[dict[str, Any]]) -> tuple[Column, ...]:
    """The columns of a meeting's count sheet (also its template's)."""
    return count_sheet_columns(
        [(m["position"], m["title"], COUNT_SHEET_WORDS.get(m["kind"], "")) for m in motions]
    )


def parse_count_sheet(content: bytes, filename: str, motions: list[dict[str, Any]]) -> list[PaperEntry]:
    """A count sheet: ``serial`` (表决票编号) and one column per motion, headed by its number (``1``,
    ``议题1``, ``motion_1``), below an optional title row; raises :class:`Invalid` listing header
    problems."""
    table = read_table(
        content,
        filename,
        count_sheet_spec(motions),
        plugin="voting",
        unreadable="voting_register_unreadable",
        unsupported="voting_register_format",
    )
    if not table.names and not table.problems:
        raise BadRequest("voting_count_sheet_empty")
    if table.problems:
        raise Invalid(
            "voting_count_sheet_invalid",
            count=len(table.problems),
            details=[p.to_dict() for p in table.problems],
        )
    entries: list[PaperEntry] = []
    for number, values in table.rows:
        entries.append(
            PaperEntry(
                values["serial"],
                {m["position"]: values[str(m["position"])] for m in motions},
                row=number,
                handed_in=values.get("handed_in", ""),
            )
        )
        if len(entries) > MAX_SHEET_ROWS:
            raise BadRequest("voting_count_sheet_too_large", max=MAX_SHEET_ROWS)
    if not entries:
        raise BadRequest("voting_count_sheet_empty")
    return entries


async def count_sheet_template(district: DistrictInfo, public_id: str) -> tuple[bytes, str]:
    """The meeting's count sheet template: 表决票编号 and a column per motion, with the notes sheet."""
    meeting = await get_meeting(public_id, district)
    motions = (
        await VotingMotion.select()
        .where(VotingMotion.meeting == meeting["id"])
        .order_by(VotingMotion.position)
    )
    content = template_xlsx(
        count_sheet_spec(motions), sheet=EXPORT_WORDS["count_sheet"], notes=[EXPORT_WORDS["count_note"]]
    )
    return content, EXPORT_WORDS["count_file"].format(meeting=public_id)


async def import_count_sheet(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    actor: str,
    content: bytes,
    filename: str,
    *,
    scrutineer: str,
    passphrase: str,
) -> dict[str, Any]:
    """A count sheet's rows as paper entries; the scrutineer confirms each row (signs it, §8.2)."""
    meeting = await get_meeting(public_id, district)
    motions = (
        await VotingMotion.select()
        .where(VotingMotion.meeting == meeting["id"])
        .order_by(VotingMotion.position)
    )
    entries = parse_count_sheet(content, filename, motions)
    return await enter_paper_ballots(
        runtime,
        district,
        public_id,
        actor,
        entries,
        scrutineer=scrutineer,
        passphrase=passphrase,
        source="count_sheet",
    )


async def paper_overview(runtime: Runtime, meeting: dict[str, Any]) -> dict[str, Any]:
    """Entries so far and the conflicts, for the console."""
    rows = (
        await VotingPaperBallot.select()
        .where(VotingPaperBallot.meeting == meeting["id"])
        .order_by(VotingPaperBallot.id)
    )
    rule = dual_ballot_rule(runtime, meeting)
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    names = await people_names(r["entered_by"] for r in rows)
    listed = [
        {
            "serial": r["sheet_serial"],
            "voter_no": r["voter_no"],
            "status": r["status"],
            "message": status_message(runtime, r["status"], meeting),
            "entered_by": names.get(r["entered_by"], r["entered_by"]),
            "confirmed_by": r["confirmed_by"],
            "handed_in": people_time(r["handed_in_at"], profile) if r["handed_in_at"] else "",
        }
        for r in rows
        if r["status"] != "counted"
    ]
    conflicts = [r for r in rows if r["status"] == "conflict_online"]
    if rule == "first" and conflicts:
        received = {
            r["voter_no"]: r["received_at"]
            for r in await VotingBallot.select(VotingBallot.voter_no, VotingBallot.received_at).where(
                (VotingBallot.meeting == meeting["id"])
                & VotingBallot.voter_no.is_in([r["voter_no"] for r in conflicts])
            )
        }
        paper_wins = sum(1 for r in conflicts if paper_first(r["handed_in_at"], received.get(r["voter_no"])))
    else:
        paper_wins = len(conflicts) if rule == "paper" else 0
    return {
        "entered": len(rows),
        "counted": sum(1 for r in rows if r["status"] == "counted") + paper_wins,
        "dual_ballot": rule,
        "dual_ballot_words": DUAL_BALLOT_WORDS.get(rule, rule),
        "conflicts": listed,
    }
