"""A household of an entrustment: its members, the check's steps with their attachments, and the
area computation. Every read of personal data is audited."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from core import (
    Actor,
    BadRequest,
    Jurisdiction,
    NotFound,
    Upload,
    district_today,
    mask_id,
    parse_date,
    record_audit,
    record_read,
    transaction,
)
from plugins.housing_check.messages import label
from plugins.housing_check.rules import (
    Computation,
    Dwelling,
    check_step,
    compute,
    household_checked,
    parse_area,
)
from plugins.housing_check.services.access import entrustment_for, require_open
from plugins.housing_check.services.entrustments import area_rules, members_of
from plugins.housing_check.services.officers import officer_names
from plugins.housing_check.tables import (
    HousingCheckAttachment,
    HousingCheckDwelling,
    HousingCheckHousehold,
    HousingCheckOfficer,
    HousingCheckStep,
)

MAX_ATTACHMENT_MB = 20
MAX_BODY_BYTES = (MAX_ATTACHMENT_MB + 1) * 1024 * 1024  #: a request carrying one attachment and a form


async def get_household(row: dict[str, Any], household_id: int) -> dict[str, Any]:
    found = (
        await HousingCheckHousehold.select()
        .where((HousingCheckHousehold.id == household_id) & (HousingCheckHousehold.entrustment == row["id"]))
        .first()
    )
    if found is None:
        raise NotFound("housing_check_household_not_found")
    return found


async def household_detail(
    district: Any, actor: Actor, public_id: str, household_id: int, *, full_ids: bool = True
) -> dict[str, Any]:
    """One household: members (full ID numbers for the officers doing the check), steps, dwellings and
    the computation. Audited as a read of personal data."""
    row = await entrustment_for(actor, district, public_id)
    household = await get_household(row, household_id)
    data = await household_data(row, household, full_ids=full_ids)
    basis = area_rules(row).basis.get(row["scheme"], "building")
    data["entrustment"] = {
        "entrustment": public_id,
        "entrusting_office": row["entrusting_office"],
        "letter_no": row["letter_no"],
        "scheme": row["scheme"],
        "scheme_label": label(f"scheme.{row['scheme']}"),
        "status": row["status"],
        "status_label": label(f"status.{row['status']}"),
        "area_basis": basis,
        "area_basis_label": label(f"area.{basis}"),
        "officers": await officer_names(row["id"]),
    }
    await record_read(
        actor.label,
        "housing_check.view_household",
        district,
        f"{public_id}/{household_id}",
        household_no=household["household_no"],
    )
    return data


async def household_data(row: dict[str, Any], household: dict[str, Any], *, full_ids: bool) -> dict[str, Any]:
    members = await members_of(household["id"])
    steps = (
        await HousingCheckStep.select(
            *HousingCheckStep.all_columns(), HousingCheckStep.officer.display_name.as_alias("officer_name")
        )
        .where(HousingCheckStep.household == household["id"])
        .order_by(HousingCheckStep.id)
    )
    attachments = await HousingCheckAttachment.select(
        HousingCheckAttachment.id,
        HousingCheckAttachment.step,
        HousingCheckAttachment.filename,
        HousingCheckAttachment.size,
        HousingCheckAttachment.sha256,
    ).where(HousingCheckAttachment.step.is_in([s["id"] for s in steps] or [-1]))
    dwellings = (
        await HousingCheckDwelling.select()
        .where(HousingCheckDwelling.household == household["id"])
        .order_by(HousingCheckDwelling.id)
    )
    computation: dict[str, Any] | None
    problem = ""
    try:
        computation = household_computation(row, members, dwellings).to_dict()
    except BadRequest as exc:
        computation, problem = None, exc.message
    return {
        "household": household["id"],
        "household_no": household["household_no"],
        "members": [
            {
                "name": m["name"],
                "id_number": m["id_number"] if full_ids else mask_id(m["id_number"]),
                "relation": m["relation"],
            }
            for m in members
        ],
        "steps": [
            {
                "step": s["id"],
                "kind": s["kind"],
                "kind_label": label(f"step.{s['kind']}"),
                "date": s["step_date"].isoformat(),
                "officer": s["officer_name"],
                "result": s["result"],
                "result_label": label(f"result.{s['result']}"),
                "finding": s["finding"],
                "attachments": [
                    {
                        "attachment": a["id"],
                        "filename": a["filename"],
                        "size": a["size"],
                        "sha256": a["sha256"],
                    }
                    for a in attachments
                    if a["step"] == s["id"]
                ],
            }
            for s in steps
        ],
        "checked": household_checked(steps),
        "dwellings": [
            {
                "dwelling": d["id"],
                "kind": d["kind"],
                "kind_label": label(f"dwelling.{d['kind']}"),
                "address": d["address"],
                "holder": d["holder"],
                "area": d["area"],
                "area_type": d["area_type"],
                "area_type_label": label(f"area.{d['area_type']}"),
                "source": d["source"],
            }
            for d in dwellings
        ],
        "computation": computation,
        "computation_problem": problem,
    }


def household_computation(
    row: dict[str, Any], members: list[dict[str, Any]], dwellings: list[dict[str, Any]]
) -> Computation:
    rules = area_rules(row)
    found = [
        Dwelling(
            d["kind"],
            d["address"],
            parse_area(d["area"]) or _bad_area(d["area"]),
            d["area_type"],
            d["source"],
            d["holder"],
        )
        for d in dwellings
    ]
    return compute(row["scheme"], found, len(members), rules)


def _bad_area(value: str) -> Any:
    raise BadRequest("housing_check_bad_area", value=value)


async def _officer_id(row: dict[str, Any], username: str | None, actor: Actor) -> int:
    """The officer who did a step: an assigned officer (default: the actor)."""
    assigned = {
        r["staff"]: r["username"]
        for r in await HousingCheckOfficer.select(
            HousingCheckOfficer.staff, HousingCheckOfficer.staff.username.as_alias("username")
        ).where(HousingCheckOfficer.entrustment == row["id"])
    }
    wanted = username or actor.username
    for sid, name in assigned.items():
        if name == wanted:
            return int(sid)
    raise BadRequest("housing_check_officer_not_assigned", username=wanted)


async def record_step(
    district: Any,
    profile: Jurisdiction,
    actor: Actor,
    public_id: str,
    household_id: int,
    *,
    kind: str,
    step_date: str,
    result: str,
    finding: str,
    officer: str | None = None,
    attachments: Sequence[Upload] = (),
) -> dict[str, Any]:
    """Record one step (with any files supporting it, in the same transaction: all or nothing)."""
    row = await entrustment_for(actor, district, public_id)
    require_open(row)
    household = await get_household(row, household_id)
    files = [check_upload(u) for u in attachments]
    when = parse_date(step_date)
    if when < row["received_on"]:
        raise BadRequest("housing_check_step_before_receipt", date=row["received_on"].isoformat())
    if when > await district_today(district, profile):
        raise BadRequest("housing_check_step_future", date=step_date)
    if not (finding or "").strip():
        raise BadRequest("housing_check_field_blank", field="核查情况")
    earlier = await HousingCheckStep.select().where(HousingCheckStep.household == household["id"])
    check_step(kind, result, earlier)
    latest = max((s["step_date"] for s in earlier), default=None)
    if latest is not None and when < latest:
        raise BadRequest("housing_check_step_before_previous", date=latest.isoformat())
    officer_id = await _officer_id(row, officer, actor)
    async with transaction(HousingCheckStep._meta.db):
        rows = await HousingCheckStep.insert(
            HousingCheckStep(
                household=household["id"],
                kind=kind,
                step_date=when,
                officer=officer_id,
                result=result,
                finding=finding.strip(),
                recorded_by=actor.label,
            )
        ).returning(HousingCheckStep.id)
        await record_audit(
            actor.label,
            "housing_check.step",
            district=district.slug,
            target=f"{public_id}/{household_id}",
            details={"kind": kind, "result": result, "date": when.isoformat(), "step": rows[0]["id"]},
        )
        stored = [
            await _insert_attachment(district, actor, f"{public_id}/{household_id}", rows[0]["id"], f)
            for f in files
        ]
    return {"step": rows[0]["id"], "kind": kind, "result": result, "attachments": stored}


def check_upload(upload: Upload) -> Upload:
    """Refuse an empty or oversized file; a safe stored name and media type."""
    if not upload.content:
        raise BadRequest("housing_check_attachment_empty")
    if len(upload.content) > MAX_ATTACHMENT_MB * 1024 * 1024:
        raise BadRequest("housing_check_attachment_too_large", max=MAX_ATTACHMENT_MB)
    name = (upload.filename or "attachment").replace("/", "_").replace("\\", "_")[:255]
    return Upload(
        filename=name,
        content=upload.content,
        media_type=(upload.media_type or "application/octet-stream")[:100],
    )


async def _insert_attachment(
    district: Any, actor: Actor, target: str, step_id: int, upload: Upload
) -> dict[str, Any]:
    """Store a checked file with its SHA-256 (inside the caller's transaction) and audit it."""
    digest = hashlib.sha256(upload.content).hexdigest()
    size = len(upload.content)
    rows = await HousingCheckAttachment.insert(
        HousingCheckAttachment(
            step=step_id,
            filename=upload.filename,
            media_type=upload.media_type,
            size=size,
            sha256=digest,
            content=upload.content,
            uploaded_by=actor.label,
        )
    ).returning(HousingCheckAttachment.id)
    await record_audit(
        actor.label,
        "housing_check.attach",
        district=district.slug,
        target=target,
        details={"step": step_id, "filename": upload.filename, "sha256": digest, "size": size},
    )
    return {"attachment": rows[0]["id"], "filename": upload.filename, "sha256": digest, "size": size}


async def add_attachments(
    district: Any, actor: Actor, public_id: str, household_id: int, step_id: int, files: Sequence[Upload]
) -> list[dict[str, Any]]:
    """Files for a step already recorded: every one checked first, then all stored or none."""
    row = await entrustment_for(actor, district, public_id)
    require_open(row)
    await get_household(row, household_id)
    if not await HousingCheckStep.exists().where(
        (HousingCheckStep.id == step_id) & (HousingCheckStep.household == household_id)
    ):
        raise NotFound("housing_check_step_not_found")
    if not files:
        raise BadRequest("housing_check_attachment_empty")
    checked = [check_upload(f) for f in files]
    async with transaction(HousingCheckAttachment._meta.db):
        return [
            await _insert_attachment(district, actor, f"{public_id}/{household_id}", step_id, f)
            for f in checked
        ]


async def get_attachment(
    district: Any, actor: Actor, public_id: str, household_id: int, attachment_id: int
) -> dict[str, Any]:
    row = await entrustment_for(actor, district, public_id)
    await get_household(row, household_id)
    found = (
        await HousingCheckAttachment.select()
        .where(
            (HousingCheckAttachment.id == attachment_id)
            & (HousingCheckAttachment.step.household == household_id)
        )
        .first()
    )
    if found is None:
        raise NotFound("housing_check_attachment_not_found")
    await record_read(
        actor.label,
        "housing_check.download_attachment",
        district,
        f"{public_id}/{household_id}",
        attachment=attachment_id,
        sha256=found["sha256"],
    )
    return found
