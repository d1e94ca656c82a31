"""The published record, protocol ``wuye-record-v2`` (docs/protocol.md §10). Pure: no database.

The v1 record names every unit and links it to the voter, the key and the choices. The v2 record that
is sealed and published keeps everything a stranger needs to re-check the vote — every signature, each
voter's area and heads, the tally — but identifies a voter only by a *record number* (a pseudonymous
number, a random permutation unrelated to the register's order or the sheet's serial) and their keys.
What it leaves out is kept in the **private record** (``private.json``), which opens the public one:

- each public voter carries a salted commitment to ``{record number, serial, units}``; the private
  record holds the salts and the units, so whoever holds it re-checks the areas, the grouping of units
  into voters and the register digest printed on the notice;
- each public paper entry carries a salted commitment to ``{sheet serial, who entered it}``, and the
  scrutineer's signed confirmation (§8.2), whose sheet commitment's salt (``sheet_salt``) is private.

Salts and the permutation are derived from the meeting's secret key (HMAC-SHA256), so the same sealed
tables always give the same two documents, byte for byte, and nobody without the key or the private
record can link a record number to a flat.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from operator import itemgetter
from typing import Any

from core import canonical_json
from plugins.voting.protocol.record import RECORD_V2
from plugins.voting.protocol.rules import natural_key

PRIVATE_V2 = "wuye-private-v2"
VOTER_COMMITMENT = "wuye-voter-v2"
PAPER_COMMITMENT = "wuye-paper-v2"
DELIVERY_COMMITMENT = "wuye-delivery-v2"

#: The published record's modes (profile rule ``voting.published_record``): ``pseudonymous`` publishes
#: the public record only; ``named`` publishes the private record beside it (where the committee must
#: post how each flat voted).
PUBLISHED_MODES = ("pseudonymous", "named")


def record_secret(seed: bytes, meeting: str) -> bytes:
    """The key the salts and the permutation are derived from (never published)."""
    return hmac.digest(seed, b"wuye-record-v2\x00" + meeting.encode(), "sha256")


def _mac(secret: bytes, *parts: str) -> str:
    """``HMAC-SHA256(secret, parts joined by NUL)``, hex (the keyed state computed once per secret)."""
    mac = _keyed(secret).copy()
    mac.update("\x00".join(parts).encode())
    return mac.hexdigest()


@lru_cache(maxsize=8)
def _keyed(secret: bytes) -> hmac.HMAC:
    return hmac.new(secret, digestmod=hashlib.sha256)


def voter_commitment(meeting: str, opening: dict[str, Any], *, plain: bool = False) -> str:
    """``SHA-256(RFC8785({"protocol": "wuye-voter-v2", "meeting", "voter_no", "serial", "name",
    "salt", "units"}))``: ``opening`` is the private record's entry of the voter."""
    body = _commitment_body(VOTER_COMMITMENT, meeting, opening, _VOTER, plain)
    return hashlib.sha256(canonical_json(body, plain=plain)).hexdigest()


def paper_commitment(meeting: str, opening: dict[str, Any], *, plain: bool = False) -> str:
    """``SHA-256(RFC8785({"protocol": "wuye-paper-v2", "meeting", "voter_no", "version",
    "sheet_serial", "entered_by", "salt"}))``."""
    body = _commitment_body(PAPER_COMMITMENT, meeting, opening, _PAPER, plain)
    return hashlib.sha256(canonical_json(body, plain=plain)).hexdigest()


def delivery_commitment(meeting: str, opening: dict[str, Any], *, plain: bool = False) -> str:
    """``SHA-256(RFC8785({"protocol": "wuye-delivery-v2", "meeting", "voter_no", "version", "index",
    "received_by", "witnesses", "salt"}))``: who received a sheet and who witnessed its delivery."""
    body = _commitment_body(DELIVERY_COMMITMENT, meeting, opening, _DELIVERY, plain)
    return hashlib.sha256(canonical_json(body, plain=plain)).hexdigest()


_VOTER = ("voter_no", "serial", "name", "salt", "units")
_PAPER = ("voter_no", "version", "sheet_serial", "entered_by", "salt")
_DELIVERY = ("voter_no", "version", "index", "received_by", "witnesses", "salt")


def _commitment_body(
    protocol: str, meeting: str, opening: dict[str, Any], keys: tuple[str, ...], plain: bool
) -> dict[str, Any]:
    if plain:  # an opening this module built: exactly ``keys``
        return {"protocol": protocol, "meeting": meeting, **opening}
    # a member missing from a tampered opening is null: its commitment differs rather than the check
    # failing; a member added to it is not committed to (open_register and open_paper refuse it)
    return {"protocol": protocol, "meeting": meeting, **{key: opening.get(key) for key in keys}}


def publish(
    full: dict[str, Any], secret: bytes, names: dict[int, str]
) -> tuple[dict[str, Any], dict[str, Any], dict[int, int]]:
    """The public record, the private record and the renumbering (register voter number → record
    number) of a full (v1-shaped) record, as sealed; ``names``:
    each register voter's name as frozen at publication (committed in the private record). The full
    record's credential and ballot entries are renumbered in place and become the public ones (a
    100,000-ballot record is not copied): the caller discards ``full``."""
    meeting = str(full["meeting"]["meeting"])
    register = full["register"]
    units = {u["unit_code"]: u for u in register["units"]}
    by_serial = record_numbers([v["serial"] for v in register["voters"]], secret)
    number = {v["voter_no"]: by_serial[v["serial"]] for v in register["voters"]}

    private_voters: list[dict[str, Any]] = []
    commitments: dict[int, str] = {}
    for voter in register["voters"]:  # register order: the order the register digest is computed in
        opening = voter_opening(
            secret,
            number[voter["voter_no"]],
            voter["serial"],
            names.get(voter["voter_no"], ""),
            [units[code] for code in voter["units"]],
        )
        private_voters.append(opening)
        commitments[opening["voter_no"]] = voter_commitment(meeting, opening, plain=True)
    public_voters: list[dict[str, Any]] = [{}] * len(register["voters"])
    for v in register["voters"]:  # record numbers are 1..n: each voter goes straight to its place
        record_no = number[v["voter_no"]]
        public_voters[record_no - 1] = {
            "voter_no": record_no,
            "area_centi": v["area_centi"],
            "heads": v["heads"],
            "commitment": commitments[record_no],
        }
        if "scopes" in v:  # the voter's share of each motion of a part of the estate (§9.6)
            public_voters[record_no - 1]["scopes"] = v["scopes"]

    private_paper: list[dict[str, Any]] = []
    public_paper: list[dict[str, Any]] = []
    for entry in full["paper"]:
        opening = {
            "voter_no": number[entry["voter_no"]],
            "version": entry["version"],
            "sheet_serial": entry["sheet_serial"],
            "entered_by": entry["entered_by"],
            "salt": _mac(secret, "paper", entry["sheet_serial"]),
        }
        public_entry = {
            "voter_no": opening["voter_no"],
            "version": entry["version"],
            "choices": entry["choices"],
            "status": entry["status"],
            "confirmed_by": entry["confirmed_by"],
            "entered_at": entry["entered_at"],
            "custody": paper_commitment(meeting, opening, plain=True),
        }
        confirmation = entry.get("confirmation")
        if confirmation is not None:  # §8.2: the statement is public, the sheet commitment's salt private
            public_entry["confirmation"] = {k: confirmation[k] for k in ("key", "sheet", "signature")}
            opening["sheet_salt"] = confirmation["salt"]
        private_paper.append(opening)
        if "handed_in_at" in entry:
            public_entry["handed_in_at"] = entry["handed_in_at"]
        public_paper.append(public_entry)
    private_deliveries = _publish_deliveries(meeting, full["credentials"], number, secret)
    by_sheet = itemgetter("voter_no", "version")
    for entries in (full["credentials"], full["ballots"]):
        for entry in entries:
            entry["voter_no"] = number[entry["voter_no"]]
    public = {
        "protocol": RECORD_V2,
        "meeting": full["meeting"],
        "rules": full["rules"],
        "register": {"headcount_method": register["headcount_method"], "voters": public_voters},
        "credentials": sorted(full["credentials"], key=by_sheet),
        "ballots": sorted(full["ballots"], key=itemgetter("voter_no")),
        "paper": sorted(public_paper, key=by_sheet),
    }
    private: dict[str, Any] = {
        "protocol": PRIVATE_V2,
        "meeting": meeting,
        "voters": private_voters,
        "paper": sorted(private_paper, key=by_sheet),
    }
    if private_deliveries:  # records with delivery entries (§9.1): who received and who witnessed
        private["deliveries"] = sorted(private_deliveries, key=itemgetter("voter_no", "version", "index"))
    return public, private, number


def _publish_deliveries(
    meeting: str, credentials: list[dict[str, Any]], number: dict[int, int], secret: bytes
) -> list[dict[str, Any]]:
    """Each credential's deliveries as published (in place): method, day, time recorded, how many
    witnesses and a commitment to the names; returns the openings for the private record."""
    openings: list[dict[str, Any]] = []
    for credential in credentials:
        deliveries = credential.get("deliveries")
        if not deliveries:
            continue
        record_no = number[credential["voter_no"]]
        published = []
        for index, delivery in enumerate(deliveries):
            opening = {
                "voter_no": record_no,
                "version": credential["version"],
                "index": index,
                "received_by": delivery["received_by"],
                "witnesses": delivery["witnesses"],
                "salt": _mac(secret, "delivery", str(record_no), str(credential["version"]), str(index)),
            }
            openings.append(opening)
            published.append(
                {
                    "method": delivery["method"],
                    "delivered_on": delivery["delivered_on"],
                    "recorded_at": delivery["recorded_at"],
                    "witnesses": len(delivery["witnesses"]),
                    "custody": delivery_commitment(meeting, opening, plain=True),
                }
            )
        credential["deliveries"] = published
    return openings


def open_deliveries(public: dict[str, Any], private: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """What does not match between the public deliveries and the private record's openings: a
    commitment that does not open, a witness count that differs, an opening of no public delivery."""
    meeting = str(public["meeting"]["meeting"])
    openings = {
        (o.get("voter_no"), o.get("version"), o.get("index")): o
        for o in private.get("deliveries") or []
        if isinstance(o, dict)
    }
    found: list[tuple[str, dict[str, Any]]] = []
    seen: set[tuple[Any, Any, Any]] = set()
    for credential in public["credentials"]:
        for index, delivery in enumerate(credential.get("deliveries") or []):
            where = (credential.get("voter_no"), credential.get("version"), index)
            seen.add(where)
            opening = openings.get(where)
            witnesses = opening.get("witnesses") if opening else None
            if (
                opening is None
                or opening.keys() != set(_DELIVERY)
                or not isinstance(delivery, dict)
                or delivery_commitment(meeting, opening) != delivery.get("custody")
                or not isinstance(witnesses, list)
                or len(witnesses) != delivery.get("witnesses")
            ):
                found.append(("private_delivery_mismatch", {"voter_no": where[0], "version": where[1]}))
    for key in openings.keys() - seen:
        found.append(("private_delivery_mismatch", {"voter_no": key[0], "version": key[1]}))
    return found


def record_numbers(serials: list[str], secret: bytes) -> dict[str, int]:
    """Sheet serial → record number: 1..n in the order of ``HMAC(secret, "order" 0x00 serial)``, a
    permutation nobody without the secret can relate to the register's order."""
    order = sorted(serials, key=lambda serial: _mac(secret, "order", serial))
    return {serial: i for i, serial in enumerate(order, start=1)}


def voter_opening(
    secret: bytes, number: int, serial: str, name: str, units: list[dict[str, Any]]
) -> dict[str, Any]:
    """The private record's entry of one voter: what the public commitment opens to."""
    return {
        "voter_no": number,
        "serial": serial,
        "name": name,
        "salt": _mac(secret, "voter", serial),
        "units": units,
    }


def open_register(
    public: dict[str, Any], private: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The v1-shaped register (units, voters in register order with their units) rebuilt from the
    public voters and the private openings, and what does not match: an opening whose commitment is
    not the public one, a public voter without an opening, an opening of no public voter."""
    meeting = str(public["meeting"]["meeting"])
    found: list[tuple[str, dict[str, Any]]] = []
    public_voters = {v["voter_no"]: v for v in public["register"]["voters"]}
    opened: set[Any] = set()
    units: list[dict[str, Any]] = []
    voters: list[dict[str, Any]] = []
    for opening in private.get("voters", []):
        number = opening.get("voter_no")
        voter = public_voters.get(number)
        if voter is None or number in opened:
            found.append(("private_unknown_voter", {"voter_no": number}))
            continue
        opened.add(number)
        if opening.keys() != set(_VOTER) or voter_commitment(meeting, opening) != voter.get("commitment"):
            found.append(("private_commitment_mismatch", {"voter_no": number}))
        codes = []
        for unit in opening.get("units") or []:
            units.append(unit)
            codes.append(unit.get("unit_code") if isinstance(unit, dict) else None)
        voters.append(
            {
                "voter_no": number,
                "serial": opening.get("serial"),
                "units": codes,
                "area_centi": voter["area_centi"],
                "heads": voter["heads"],
            }
            | ({"scopes": voter["scopes"]} if "scopes" in voter else {})
        )
    for number in public_voters.keys() - opened:
        found.append(("private_missing_voter", {"voter_no": number}))
    units.sort(key=lambda u: natural_key(str(u.get("unit_code", ""))) if isinstance(u, dict) else ())
    register = {
        "headcount_method": public["register"].get("headcount_method"),
        "units": units,
        "voters": voters,
    }
    return register, found


def open_paper(
    public: dict[str, Any], private: dict[str, Any]
) -> tuple[dict[tuple[Any, Any], dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
    """Each public paper entry's opening, by (record number, version), and what does not match."""
    meeting = str(public["meeting"]["meeting"])
    openings = {
        (o.get("voter_no"), o.get("version")): o for o in private.get("paper", []) if isinstance(o, dict)
    }
    found: list[tuple[str, dict[str, Any]]] = []
    matched: dict[tuple[Any, Any], dict[str, Any]] = {}
    for entry in public["paper"]:
        key = (entry.get("voter_no"), entry.get("version"))
        opening = openings.get(key)
        if (
            opening is None
            or opening.keys() - {"sheet_salt"} != set(_PAPER)
            or paper_commitment(meeting, opening) != entry.get("custody")
        ):
            found.append(("private_paper_mismatch", {"serial": sheet_label(entry)}))
            continue
        matched[key] = opening
    return matched, found


def sheet_label(entry: dict[str, Any]) -> str:
    """How a public v2 paper entry is named where its serial is not published: record number and
    printing (``第12号表决人第1张``)."""
    return f"第{entry.get('voter_no')}号表决人第{entry.get('version')}张"
