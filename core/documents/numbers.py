"""发文字号: the number an issued document carries under its letterhead, e.g. ``示范街房字〔2026〕3号``.

Numbers run per district, issuing office (the prefix) and year, from 1. A document is numbered when it
is *issued*, inside the transaction that issues it: :func:`allocate` returns the number already given
to ``(district, kind, subject)`` if there is one (a re-download or re-render shows the same number)
and otherwise takes the next one of the office's year. Which documents are issued and numbered:

- the voting result notice (``voting.result``, subject: the meeting) — prefix ``<小区>业字``;
- the housing-check result report (``housing_check.report``, subject: the entrustment) — prefix
  ``<街道简称>房字``;
- the group-rental escalation letter (``group_rental.escalation``, subject: the case) — same prefix.

Group-rental rectification orders keep the 文号 the officer types on the order (their own field).
A plugin adopts numbering by calling :func:`allocate` in its issuing transaction and passing the text
as ``doc_number`` to the template (the letterhead block prints it when it is not empty).
"""

from __future__ import annotations

import zlib
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from core.data.db import transaction
from core.data.tables import DocumentNumber


def office_prefix(district_name: str, word: str = "房字") -> str:
    """``示范街道`` → ``示范街房字``; ``甲镇`` → ``甲镇房字``; a district (区) keeps its name."""
    name = district_name.strip()
    for suffix, short in (("街道办事处", "街"), ("街道", "街")):
        if name.endswith(suffix):
            name = name[: -len(suffix)] + short
            break
    return f"{name}{word}"


def number_text(office: str, year: int, seq: int) -> str:
    return f"{office}〔{year}〕{seq}号"


async def existing(district_id: int, kind: str, subject: str) -> str | None:
    """The number ``(district, kind, subject)`` was issued with, if any."""
    row = (
        await DocumentNumber.select(DocumentNumber.number)
        .where(
            (DocumentNumber.district == district_id)
            & (DocumentNumber.kind == kind)
            & (DocumentNumber.subject == subject)
        )
        .first()
    )
    return row["number"] if row else None


async def allocate(
    district_id: int, kind: str, subject: str, *, office: str, year: int, actor: str = ""
) -> str:
    """The document's 发文字号: the one it already has, else the office's next one for ``year``.
    Joins the caller's transaction (call it in the transaction that issues the document); on
    PostgreSQL an advisory lock on (district, office, year) serialises concurrent issues, on SQLite the
    transaction's write lock does."""
    engine = DocumentNumber._meta.db
    async with transaction(engine):
        found = await existing(district_id, kind, subject)
        if found is not None:
            return found
        if isinstance(engine, PostgresEngine):
            key = zlib.crc32(f"core_document_number:{district_id}:{office}:{year}".encode())
            await DocumentNumber.raw("SELECT pg_advisory_xact_lock({})", key)
        last: dict[str, Any] | None = (
            await DocumentNumber.select(DocumentNumber.seq)
            .where(
                (DocumentNumber.district == district_id)
                & (DocumentNumber.office == office)
                & (DocumentNumber.year == year)
            )
            .order_by(DocumentNumber.seq, ascending=False)
            .first()
        )
        seq = (last["seq"] + 1) if last else 1
        text = number_text(office, year, seq)
        await DocumentNumber.insert(
            DocumentNumber(
                district=district_id,
                office=office,
                year=year,
                seq=seq,
                kind=kind,
                subject=subject,
                number=text,
                issued_by=actor,
            )
        )
        return text
