"""Board heads (``wuye-head-v1``) and what a later record must keep of an earlier one (docs/protocol.md
§12). Pure: no database.

While voting is open the meeting key signs the board's **head** from time to time: the digests of the
public (v2) record's first five sections as they stand at ``at`` (ballots received up to ``at``, the
credentials issued by then with the revocations made by then). A snapshot bundle carries the record
at the latest head; the sealed bundle carries every head, and each is re-checked against the sealed
record restricted to its time. ``extends`` compares two verified bundles of one meeting: the newer
may only add to the older (Belenios' verify-diff).
"""

from __future__ import annotations

from typing import Any

from core import canonical_json, signed_message
from plugins.voting.messages import SECTION_NAMES
from plugins.voting.protocol.record import ballot_leaf, merkle_root, section_digest

HEAD_PROTOCOL = "wuye-head-v1"
#: the sections a head signs (no paper: paper ballots are entered only after the close)
HEAD_SECTIONS = ("meeting", "rules", "register", "credentials", "ballots")
#: the meeting section's members a snapshot leaves null: they exist only once the record is sealed
SEAL_ONLY = ("sealed_at", "sealed_by")


def head_message(meeting: str, head: dict[str, Any]) -> bytes:
    """``"wuye-head-v1" 0x00 <meeting> 0x00 RFC8785(head)``: its own domain, so a head can never pass
    as a seal statement, a receipt or a ballot, nor one of them as a head."""
    return signed_message(HEAD_PROTOCOL, meeting, head)


def unsealed_meeting(meeting: dict[str, Any]) -> dict[str, Any]:
    """The meeting section as a head signs it: the record's, without the seal's time and sealer."""
    return {**meeting, **dict.fromkeys(SEAL_ONLY)}


def meeting_as_of(meeting: dict[str, Any], at: str) -> dict[str, Any]:
    """The meeting section as a head at ``at`` signed it: unsealed, and every extension of the vote
    made after ``at`` undone (its close and count day back to what they were; §12, extensions), and
    no scrutineer key registered after ``at`` (§8.2)."""
    unsealed = unsealed_meeting(meeting)
    keys = meeting.get("scrutineer_keys")
    if isinstance(keys, list):  # the member is there only once a key is (as the board builds it)
        kept_keys = [k for k in keys if isinstance(k, dict) and _at_or_before(k.get("registered_at"), at)]
        if kept_keys:
            unsealed["scrutineer_keys"] = kept_keys
        else:
            del unsealed["scrutineer_keys"]
    extensions = meeting.get("extensions")
    if not isinstance(extensions, list) or not extensions:
        return unsealed
    kept = [e for e in extensions if isinstance(e, dict) and _at_or_before(e.get("at"), at)]
    later = [e for e in extensions if isinstance(e, dict) and not _at_or_before(e.get("at"), at)]
    if later:
        unsealed["voting_closes"] = later[0].get("from")
        unsealed["count_date"] = later[0].get("count_date_from")
    if kept:
        unsealed["extensions"] = kept
    else:
        del unsealed["extensions"]
    return unsealed


def head_digests(record: dict[str, Any], at: str | None = None) -> dict[str, str]:
    """The five digests of a head over a (snapshot) public record, hashed as §9.2 (the meeting as it
    stood at ``at``, when given: an extension signed in the moments after it is not yet the head's)."""
    return {
        "meeting": section_digest(
            meeting_as_of(record["meeting"], at) if at else unsealed_meeting(record["meeting"])
        ),
        "rules": section_digest(record["rules"]),
        "register": section_digest(record["register"]),
        "credentials": section_digest(record["credentials"]),
        "ballots": merkle_root([ballot_leaf(b) for b in record["ballots"]]).hex(),
    }


def head_statement(record: dict[str, Any], at: str) -> dict[str, Any]:
    """The head of a snapshot record (whose ballots and credentials are those of ``at`` already)."""
    return {
        "protocol": HEAD_PROTOCOL,
        "meeting": record["meeting"]["meeting"],
        "at": at,
        "counts": {
            "voters": len(record["register"]["voters"]),
            "credentials": len(record["credentials"]),
            "ballots": len(record["ballots"]),
        },
        "sections": head_digests(record, at),
    }


def as_of(record: dict[str, Any], at: str, later: set[tuple[Any, Any]]) -> dict[str, Any]:
    """The board as it stood at ``at``, from a later record: the ballots received no later than ``at``;
    the credentials but those issued after it (``later``: their ``(voter_no, version)``, which the
    record does not date), each revocation made after ``at`` undone; no paper entries. Times compare
    as strings: the record writes them all in one fixed-width UTC form (§9.1)."""
    return {
        **record,
        "meeting": meeting_as_of(record["meeting"], at),
        "credentials": [
            _credential_as_of(c, at)
            for c in record["credentials"]
            if (c.get("voter_no"), c.get("version")) not in later
        ],
        "ballots": [b for b in record["ballots"] if _at_or_before(b.get("received_at"), at)],
        "paper": [],
    }


def _credential_as_of(credential: dict[str, Any], at: str) -> dict[str, Any]:
    """A credential as the board showed it at ``at``: a later revocation (and its reason) undone. The
    board shows no deliveries: an officer may correct a delivery record until the seal (each correction
    audited), so only the sealed record carries them (§9.1)."""
    then = dict(credential)
    then.pop("deliveries", None)
    if not _at_or_before(then.get("revoked_at"), at):
        then["revoked_at"] = None
        then.pop("revocation", None)
    return then


def _at_or_before(moment: Any, at: str) -> bool:
    return isinstance(moment, str) and moment <= at


def check_heads(
    record: dict[str, Any],
    entries: list[dict[str, Any]],
    meeting_key_ok: Any,
    leaves: list[bytes] | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """Every signed head (``{"head", "signature", "credentials_after"}``) against a later record: its
    signature (``meeting_key_ok(signature_hex, message)``), its meeting and every section recomputed
    over the record as it stood at the head's time (:func:`as_of`). ``leaves``: the record's ballot
    leaves, in record order, if already computed. The sections that cannot change after publication
    are hashed once for all heads; the ballots' tree is rebuilt from the leaves of each head's time."""
    if not entries:
        return []
    meeting = str(record["meeting"]["meeting"])
    fixed = {
        "rules": section_digest(record["rules"]),
        "register": section_digest(record["register"]),
    }
    if leaves is None or len(leaves) != len(record["ballots"]):
        leaves = [ballot_leaf(b) for b in record["ballots"]]
    times = [b.get("received_at") for b in record["ballots"]]
    found: list[tuple[str, dict[str, Any]]] = []
    for entry in entries:
        head, signature = entry.get("head"), entry.get("signature")
        if not isinstance(head, dict) or not isinstance(head.get("at"), str):
            found.append(("head_malformed", {}))
            continue
        at = head["at"]
        if head.get("protocol") != HEAD_PROTOCOL or head.get("meeting") != meeting:
            found.append(("head_meeting_mismatch", {"at": at}))
        if not meeting_key_ok(str(signature or ""), head_message(meeting, head)):
            found.append(("head_signature_invalid", {"at": at}))
        then = as_of({**record, "ballots": []}, at, _pairs(entry.get("credentials_after")))
        kept = [leaf for leaf, moment in zip(leaves, times, strict=True) if _at_or_before(moment, at)]
        mine = {
            **fixed,
            "meeting": section_digest(then["meeting"]),
            "credentials": section_digest(then["credentials"]),
            "ballots": merkle_root(kept).hex(),
        }
        sections = _member(head, "sections")
        for section in HEAD_SECTIONS:
            if mine[section] == sections.get(section):
                continue
            if section == "ballots":
                signed = _member(head, "counts").get("ballots")
                found.append(("head_ballots_mismatch", {"at": at, "have": len(kept), "head": signed}))
            else:
                found.append(
                    (
                        "head_section_mismatch",
                        {"at": at, "section": section, "section_cn": SECTION_NAMES[section]},
                    )
                )
    return found


def _pairs(value: Any) -> set[tuple[Any, Any]]:
    """``credentials_after`` as a set of ``(voter_no, version)`` (anything else in it is ignored: a
    wrong list only makes the credentials digest differ)."""
    if not isinstance(value, list):
        return set()
    return {
        (p[0], p[1])
        for p in value
        if isinstance(p, list) and len(p) == 2 and all(isinstance(x, int | str) for x in p)
    }


def _member(head: dict[str, Any], key: str) -> dict[str, Any]:
    value = head.get(key)
    return value if isinstance(value, dict) else {}


def _time_of(bundle: dict[str, Any]) -> str:
    return str(bundle["at"] or "")


def extends(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """What the NEW record does not keep of the OLD one. Each side is ``{"record", "at", "final",
    "meeting_key"}`` (``at``: the head's time of a snapshot, the seal's of a final bundle). NEW may add
    ballots received after OLD's time, credentials, revocations dated no earlier than OLD's time and
    (once final) paper entries; it may not drop, change, renumber or backdate anything."""
    a, b = old["record"], new["record"]
    meeting = str(a["meeting"].get("meeting"))
    if meeting != str(b["meeting"].get("meeting")):
        return [("since_meeting_mismatch", {"old": meeting, "new": b["meeting"].get("meeting")})]
    if old["meeting_key"] != new["meeting_key"] or a["meeting"].get("meeting_key") != b["meeting"].get(
        "meeting_key"
    ):
        return [("since_key_mismatch", {})]
    found: list[tuple[str, dict[str, Any]]] = []
    then, now = _time_of(old), _time_of(new)
    if now < then:
        found.append(("since_older", {"old": then, "new": now}))
    # the meeting section: identical, but for the seal's time and sealer that only a final record has
    # (and for the extensions of the vote NEW records after OLD's time, undone)
    old_meeting = a["meeting"] if old["final"] else unsealed_meeting(a["meeting"])
    new_meeting = b["meeting"] if old["final"] else meeting_as_of(b["meeting"], then)
    for section, mine, theirs in (
        ("meeting", old_meeting, new_meeting),
        ("rules", a["rules"], b["rules"]),
        ("register", a["register"], b["register"]),
    ):
        if canonical_json(mine) != canonical_json(theirs):
            found.append(
                ("since_section_changed", {"section": section, "section_cn": SECTION_NAMES[section]})
            )
    found += _ballots_kept(a, b, then)
    found += _credentials_kept(a, b, then)
    if old["final"]:
        kept = {canonical_json(p) for p in b["paper"]}
        for p in a["paper"]:
            if canonical_json(p) not in kept:
                found.append(
                    ("since_paper_removed", {"voter_no": p.get("voter_no"), "version": p.get("version")})
                )
    return found


def _ballots_kept(a: dict[str, Any], b: dict[str, Any], then: str) -> list[tuple[str, dict[str, Any]]]:
    """Every OLD ballot in NEW, under the same record number, byte for byte; no NEW ballot received
    at or before OLD's time that OLD did not have (a backdated insertion)."""
    found: list[tuple[str, dict[str, Any]]] = []
    new_by_hash = {e.get("ballot_hash"): e for e in b["ballots"]}
    new_by_voter = {e.get("voter_no"): e for e in b["ballots"]}
    old_hashes = set()
    for entry in a["ballots"]:
        old_hashes.add(entry.get("ballot_hash"))
        voter_no = entry.get("voter_no")
        twin = new_by_voter.get(voter_no) or new_by_hash.get(entry.get("ballot_hash"))
        if twin is None:
            found.append(("since_ballot_removed", {"voter_no": voter_no}))
        elif ballot_leaf(twin) != ballot_leaf(entry) or canonical_json(twin) != canonical_json(entry):
            found.append(("since_ballot_changed", {"voter_no": voter_no}))
    old_voters = {e.get("voter_no") for e in a["ballots"]}
    for entry in b["ballots"]:
        if (
            entry.get("ballot_hash") not in old_hashes
            and entry.get("voter_no") not in old_voters
            and _at_or_before(entry.get("received_at"), then)
        ):
            found.append(("since_ballot_backdated", {"voter_no": entry.get("voter_no")}))
    return found


def _credentials_kept(a: dict[str, Any], b: dict[str, Any], then: str) -> list[tuple[str, dict[str, Any]]]:
    """Every OLD credential in NEW with the same key; a revocation may be added (dated no earlier than
    after OLD's time: one dated no later was on the board then), never removed or moved."""
    found: list[tuple[str, dict[str, Any]]] = []
    new = {(c.get("voter_no"), c.get("version")): c for c in b["credentials"]}
    for c in a["credentials"]:
        voter_no, version = c.get("voter_no"), c.get("version")
        twin = new.get((voter_no, version))
        where = {"voter_no": voter_no, "version": version}
        if twin is None or twin.get("public_key") != c.get("public_key"):
            found.append(("since_credential_changed", where))
            continue
        was, is_now = c.get("revoked_at"), twin.get("revoked_at")
        if was is not None and is_now is not None and c.get("revocation") != twin.get("revocation"):
            found.append(("since_revocation_changed", where))
        if was is not None and is_now is None:
            found.append(("since_revocation_removed", where))
        elif was is not None and is_now != was:
            found.append(("since_revocation_moved", where))
        elif was is None and is_now is not None and _at_or_before(is_now, then):
            found.append(("since_revocation_backdated", where))
    return found
