"""Voting use cases: importing an estate's electoral register and the overview of its state.

No Request objects here; every staff write is audited in the same transaction.
"""

from __future__ import annotations

import hashlib
from typing import Any

from core import (
    BadRequest,
    Conflict,
    DistrictInfo,
    Invalid,
    bulk_insert,
    get_estate,
    list_estates,
    record_audit,
    template_xlsx,
    transaction,
)
from plugins.voting.messages import EXPORT_WORDS, REGISTER_COLUMNS
from plugins.voting.protocol.register import parse_register
from plugins.voting.protocol.rules import Unit, format_area, natural_key
from plugins.voting.tables import VotingMeeting, VotingRegisterImport, VotingUnit


async def import_register(
    district: DistrictInfo, estate_code: str, content: bytes, filename: str, actor: str
) -> dict[str, Any]:
    """Replace an estate's register with the file's rows: all of them, or none (every problem listed)."""
    estate = await get_estate(district, estate_code)
    parsed = parse_register(content, filename)
    if not parsed.ok:
        problems = [p.to_dict() for p in parsed.problems]
        raise Invalid("voting_register_invalid", count=len(problems), details=problems)
    frozen = await VotingMeeting.exists().where(
        (VotingMeeting.estate == estate["id"]) & VotingMeeting.status.is_in(["published", "open"])
    )
    if frozen:
        raise Conflict("voting_register_frozen")
    digest = hashlib.sha256(content).hexdigest()
    engine = VotingUnit._meta.db
    async with transaction(engine):
        await VotingUnit.delete().where(VotingUnit.estate == estate["id"])
        await bulk_insert(VotingUnit, [_unit_row(estate["id"], u) for u in parsed.units])
        await VotingRegisterImport.insert(
            VotingRegisterImport(
                estate=estate["id"],
                filename=filename[:255],
                sha256=digest,
                units=len(parsed.units),
                imported_by=actor,
            )
        )
        total = sum(u.area_centi for u in parsed.units)
        await record_audit(
            actor,
            "voting.register_import",
            district=district.slug,
            target=estate_code,
            details={"units": len(parsed.units), "area_m2": format_area(total), "sha256": digest},
        )
    return {
        "estate": estate_code,
        "units": len(parsed.units),
        "area_m2": format_area(total),
        "sha256": digest,
    }


def _unit_row(estate_id: int, unit: Unit) -> dict[str, Any]:
    return {
        "estate": estate_id,
        "unit_code": unit.unit_code,
        "area_centi": unit.area_centi,
        "area_source": unit.area_source,
        "owner_key": unit.owner_key,
        "owner_name": unit.owner_name,
        "certificate_no": unit.certificate_no,
        "developer_unsold": unit.developer_unsold,
    }


async def load_units(estate_id: int) -> list[Unit]:
    rows = await VotingUnit.select().where(VotingUnit.estate == estate_id)
    units = [
        Unit(
            unit_code=r["unit_code"],
            area_centi=r["area_centi"],
            area_source=r["area_source"],
            owner_key=r["owner_key"],
            owner_name=r["owner_name"],
            certificate_no=r["certificate_no"],
            developer_unsold=r["developer_unsold"],
        )
        for r in rows
    ]
    units.sort(key=lambda u: natural_key(u.unit_code))
    return units


def require(condition: bool, code: str, **fmt: Any) -> None:
    if not condition:
        raise BadRequest(code, **fmt)


async def register_overview(estate_id: int) -> dict[str, Any]:
    """How many units the estate's live register holds, their total area, and the last import."""
    units = await VotingUnit.select(VotingUnit.area_centi).where(VotingUnit.estate == estate_id)
    last = (
        await VotingRegisterImport.select()
        .where(VotingRegisterImport.estate == estate_id)
        .order_by(VotingRegisterImport.id, ascending=False)
        .first()
    )
    return {
        "register_units": len(units),
        "register_area": format_area(sum(u["area_centi"] for u in units)),
        "register_imported_at": last["imported_at"] if last else None,
    }


async def estates_overview(district: DistrictInfo) -> list[dict[str, Any]]:
    """Every estate of the district with the state of its register (the console's home page)."""
    return [{**e, **(await register_overview(e["id"]))} for e in await list_estates(district)]


def register_template() -> tuple[bytes, str]:
    """The register's fill-in template: the Chinese headings, an example row, and the notes sheet."""
    content = template_xlsx(
        REGISTER_COLUMNS, sheet=EXPORT_WORDS["register_sheet"], notes=[EXPORT_WORDS["register_note"]]
    )
    return content, EXPORT_WORDS["register_file"]
