"""The meeting console's forms: plain HTML forms (they work without JavaScript) posting to
``/meetings/{meeting}/console/...``, each answered by a redirect to the meeting page (``?done=…``), by
the page again with the error beside the form, or — for what cannot be undone — by the page with a
confirmation panel first (``core.web.confirm``: what will happen, how many sheets; a typed count for
mass revocation and a full reprint). The JSON API (``web/api.py``) stays one-step for programs.

Officers only (the routes take no estate roles): publish, edit and delete a draft, print and reissue
sheets, register deliveries (one sheet, or a building at once), open the vote, revoke sheets, seal.
The estate's committee members as well: sign the board's head (it adds a signed snapshot and
changes nothing, so it asks no confirmation; audited like every other action).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, Literal, cast

import msgspec
from litestar import Controller, Request, Response, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from core import (
    DOCX,
    Actor,
    BadRequest,
    Confirmation,
    Conflict,
    DistrictInfo,
    Invalid,
    NotFound,
    Runtime,
    UploadTooLarge,
    check_uploads,
    confirm_fingerprint,
    confirmation_pending,
    district_now,
    download,
    get_district,
    is_confirmed,
    message,
    parse_date,
    people_date,
    read_form,
    require_manager,
    upload_limit,
)
from plugins.voting.messages import CONFIRM_WORDS as W
from plugins.voting.messages import UNDELIVERED_WORDS, label
from plugins.voting.schemas import MeetingIn
from plugins.voting.services.ballots import print_ballots
from plugins.voting.services.delivery import (
    delivery_of,
    delivery_status,
    delivery_words,
    open_check,
    open_voting,
    record_building_delivery,
    record_delivery,
)
from plugins.voting.services.heads import sign_head
from plugins.voting.services.meetings import (
    delete_draft,
    draft_file,
    get_meeting,
    publish_meeting,
    update_draft,
)
from plugins.voting.services.proxies import (
    MAX_SCAN_BYTES,
    parse_positions,
    record_proxy,
)
from plugins.voting.services.register import load_units
from plugins.voting.services.revocation import revoke_sheets, voter_by_serial
from plugins.voting.services.seal import seal_meeting
from plugins.voting.services.transfers import Transfer, record_transfer
from plugins.voting.tables import VotingBallot, VotingCredential, VotingPaperBallot, VotingVoter
from plugins.voting.web.api import authorisation_from
from plugins.voting.web.console import MEETING_FILE_BYTES, building_param, meeting_view
from plugins.voting.web.roles import DOCUMENTS

Request_ = Request[Any, Any, Any]
#: What a form shows beside itself; access refusals keep their error pages.
FORM_ERRORS = (BadRequest, Conflict, Invalid, NotFound, UploadTooLarge)
DELIVERY_FIELDS = ("serial", "method", "delivered_on", "received_by", "witness_1", "witness_2")
BATCH_FIELDS = ("building", "method", "delivered_on", "witness_1", "witness_2")
EDIT_FIELDS = (
    "title",
    "kind",
    "location",
    "notice_date",
    "delivery_deadline",
    "meeting_date",
    "voting_closes",
    "count_date",
)
SERIAL_SPLIT = re.compile(r"[\s,，、;；]+")


def text(form: Any, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def method_of(form: Any) -> Literal["in_person", "door"]:
    value = text(form, "method")
    if value not in ("in_person", "door"):
        raise BadRequest("voting_form_field", field="送达方式", detail=value or "未选择")
    return cast(Literal["in_person", "door"], value)


def meeting_url(info: DistrictInfo, meeting: str) -> str:
    return f"/d/{info.slug}/voting/meetings/{meeting}"


def meeting_confirmation(*, info: DistrictInfo, meeting: str, step: str, **fields: Any) -> Confirmation:
    """The confirmation of a meeting console form ``step`` (``publish``, ``deliveries/building`` …):
    confirmed to the same form, cancelled back to the meeting page."""
    url = meeting_url(info, meeting)
    return Confirmation(action=f"{url}/console/{step}", cancel_href=f"{url}/console", **fields)


def back(info: DistrictInfo, meeting: str, done: str, anchor: str = "") -> Redirect:
    return Redirect(
        f"{meeting_url(info, meeting)}/console?done={done}{'#' + anchor if anchor else ''}",
        status_code=HTTP_303_SEE_OTHER,
    )


def _instructions(form: Any) -> dict[int, str]:
    """The owner's instruction per motion as the form's fields ``instruction_{position}`` give them."""
    found: dict[int, str] = {}
    for key in form:
        number = key.removeprefix("instruction_")
        if number != key and number.isdigit() and text(form, key):
            found[int(number)] = text(form, key)
    return found


class VotingConsoleForms(Controller):
    """The forms of the meeting console page."""

    include_in_schema = False

    async def _handle(
        self,
        request: Request_,
        actor: Actor,
        runtime: Runtime,
        district: str,
        meeting: str,
        form_key: str,
        act: Callable[[DistrictInfo, Any], Awaitable[Response[Any] | Confirmation]],
        *,
        keep: tuple[str, ...] = (),
    ) -> Response[Any]:
        """Run ``act(info, form)``: its answer (a redirect, a download), or its confirmation shown on
        the page; a rule it breaks comes back beside the form ``form_key`` with what was typed."""
        info = await get_district(district)
        require_manager(actor, info)
        form = await read_form(request)
        values = {k: text(form, k) for k in keep}
        building = building_param(text(form, "building")) if form_key == "batch" else None
        if form_key == "batch":
            values["building"] = building  # type: ignore[assignment]
        try:
            answer = await act(info, form)
        except FORM_ERRORS as exc:
            return await meeting_view(
                request,
                actor,
                runtime,
                info,
                meeting,
                building=building,
                errors={form_key: exc.message},
                values=values,
                status=exc.status_code,
            )
        if isinstance(answer, Confirmation):
            return await meeting_view(
                request,
                actor,
                runtime,
                info,
                meeting,
                building=building,
                confirmation=answer,
                values=values,
                status=answer.status_code,
            )
        return answer

    # --- a draft -------------------------------------------------------------------------------

    @post("/meetings/{meeting:str}/console/publish", status_code=HTTP_303_SEE_OTHER)
    async def publish(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            row = await get_meeting(meeting, info)
            units = len(await load_units(row["estate"]))
            ask = confirmation_pending(
                form,
                meeting_confirmation(
                    code="voting_publish",
                    title=W["publish_title"],
                    summary=[
                        W["publish_summary"].format(units=units),
                        W["publish_notice"].format(date=people_date(row["notice_date"])),
                        W["irreversible"],
                    ],
                    info=info,
                    meeting=meeting,
                    step="publish",
                    confirm_label=W["publish_button"],
                    state=confirm_fingerprint(row["status"], units),
                ),
            )
            if ask:
                return ask
            await publish_meeting(runtime, info, meeting, actor.label)
            return back(info, meeting, "published")

        return await self._handle(request, actor, runtime, district, meeting, "publish", act)

    @post(
        "/meetings/{meeting:str}/console/edit",
        status_code=HTTP_303_SEE_OTHER,
        request_max_body_size=MEETING_FILE_BYTES * 2,
        opt=upload_limit(MEETING_FILE_BYTES),
    )
    async def edit(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        """A draft's fields changed, or its content replaced by a meeting file (the JSON of ``wuye
        voting meeting create``). A draft can be edited again, so this acts at once (audited)."""

        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            check_uploads(request)
            upload = form.get("meeting_file")
            if isinstance(upload, UploadFile) and upload.filename:
                content = await upload.read()
                try:
                    data = msgspec.json.decode(content, type=MeetingIn)
                except msgspec.DecodeError as exc:
                    raise BadRequest("voting_meeting_file_unreadable", detail=str(exc)) from None
            else:
                current = await draft_file(info, meeting)
                changed = dict(current)
                changed["title"] = text(form, "title") or current["title"]
                changed["kind"] = text(form, "kind") or current["kind"]
                changed["location"] = text(form, "location")
                timetable = dict(current["timetable"])
                for key in ("notice_date", "delivery_deadline", "meeting_date", "count_date"):
                    timetable[key] = text(form, key) or timetable[key]
                closes = text(form, "voting_closes")
                if closes:
                    timetable["voting_closes"] = closes if len(closes) > 16 else closes + ":00"
                changed["timetable"] = timetable
                try:
                    data = msgspec.convert(changed, MeetingIn)
                except msgspec.ValidationError as exc:
                    raise BadRequest("voting_meeting_file_unreadable", detail=str(exc)) from None
            await update_draft(runtime, info, meeting, data, actor.label)
            return back(info, meeting, "edited")

        return await self._handle(request, actor, runtime, district, meeting, "edit", act, keep=EDIT_FIELDS)

    @post("/meetings/{meeting:str}/console/delete", status_code=HTTP_303_SEE_OTHER)
    async def delete(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            current = await draft_file(info, meeting)
            row = await get_meeting(meeting, info)
            if row["status"] != "draft":
                raise Conflict("voting_meeting_draft_only", status=label(f"status.{row['status']}"))
            ask = confirmation_pending(
                form,
                meeting_confirmation(
                    code="voting_delete_draft",
                    title=W["delete_title"],
                    summary=[
                        W["delete_summary"].format(
                            title=current["title"],
                            motions=len(current["motions"]),
                            officials=len(current["officials"]),
                        ),
                        W["irreversible"],
                    ],
                    info=info,
                    meeting=meeting,
                    step="delete",
                    confirm_label=W["delete_button"],
                    state=confirm_fingerprint(current),
                ),
            )
            if ask:
                return ask
            await delete_draft(info, meeting, actor.label)
            return Redirect(f"/d/{info.slug}/voting/?done=deleted", status_code=HTTP_303_SEE_OTHER)

        return await self._handle(request, actor, runtime, district, meeting, "delete", act)

    # --- the sheets ----------------------------------------------------------------------------

    @post("/meetings/{meeting:str}/console/ballots", status_code=200)
    async def ballots(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        """``mode=all``: every sheet (the first printing at once; a reprint after the panel, the count
        typed); ``mode=one`` with ``voter``: reissue one voter's sheet after the panel."""

        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            row = await get_meeting(meeting, info)
            status = await delivery_status(row)
            issued = await VotingCredential.count().where(VotingCredential.meeting == row["id"])
            url = f"{meeting_url(info, meeting)}/console/ballots"
            if text(form, "mode") == "one":
                number = text(form, "voter")
                if not number.isdigit() or int(number) < 1:
                    raise BadRequest("voting_form_field", field="表决人序号", detail=number or "未填写")
                voter = (
                    await VotingVoter.select(VotingVoter.name)
                    .where((VotingVoter.meeting == row["id"]) & (VotingVoter.voter_no == int(number)))
                    .first()
                )
                if voter is None:
                    raise NotFound("voting_voter_not_found", voter=number)
                ask = confirmation_pending(
                    form,
                    Confirmation(
                        code="voting_reissue",
                        title=W["reissue_title"].format(voter=number),
                        summary=[
                            W["reissue_summary"].format(voter=number, name=voter["name"]),
                            W["download_hint"],
                            W["irreversible"],
                        ],
                        action=url,
                        confirm_label=W["reissue_button"],
                        cancel_href=f"{meeting_url(info, meeting)}/console",
                        state=confirm_fingerprint(issued),
                    ),
                )
                if ask:
                    return ask
                result = await print_ballots(runtime, info, meeting, actor.label, voter_nos=[int(number)])
                return download(result.docx, f"补发表决票-{number}.docx", DOCX)
            if status["printed"]:
                voted = await VotingBallot.count().where(VotingBallot.meeting == row["id"])
                active = status["printed"]
                ask = confirmation_pending(
                    form,
                    Confirmation(
                        code="voting_reprint_all",
                        title=W["reprint_title"],
                        summary=[
                            W["reprint_summary"].format(
                                active=active,
                                voters=status["voters"],
                                delivered=status["delivered"],
                                voted=voted,
                            ),
                            W["reprint_old"],
                            W["download_hint"],
                            W["irreversible"],
                        ],
                        action=url,
                        confirm_label=W["reprint_button"],
                        cancel_href=f"{meeting_url(info, meeting)}/console",
                        typed=str(active),
                        typed_label=W["reprint_typed"].format(active=active),
                        state=confirm_fingerprint(issued, active),
                    ),
                )
                if ask:
                    return ask
            result = await print_ballots(
                runtime, info, meeting, actor.label, reprint_all=bool(status["printed"])
            )
            return download(result.docx, f"表决票-{meeting}.docx", DOCX)

        return await self._handle(request, actor, runtime, district, meeting, "ballots", act, keep=("voter",))

    @post("/meetings/{meeting:str}/console/revocations", status_code=HTTP_303_SEE_OTHER)
    async def revoke(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        """Revoke one sheet or several (``serials``: separated by spaces, commas or 、); more than one
        asks for their number to be typed. All or none."""

        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            serials = [s for s in SERIAL_SPLIT.split(text(form, "serials")) if s]
            serials = list(dict.fromkeys(serials))
            reason = text(form, "reason")
            if not serials:
                raise BadRequest("voting_revoke_none")
            if not reason:
                raise BadRequest("voting_revoke_no_reason")
            row = await get_meeting(meeting, info)
            for serial in serials:  # an unknown serial is named before anything is asked
                await voter_by_serial(row["id"], serial)
            revoked = await VotingCredential.count().where(
                (VotingCredential.meeting == row["id"]) & VotingCredential.revoked_at.is_not_null()
            )
            many = len(serials) > 1
            ask = confirmation_pending(
                form,
                meeting_confirmation(
                    code="voting_revoke_many" if many else "voting_revoke",
                    title=W["revoke_title"],
                    summary=[
                        W["revoke_summary"].format(count=len(serials), serials="、".join(serials)),
                        W["revoke_reason"].format(reason=reason),
                        W["irreversible"],
                    ],
                    info=info,
                    meeting=meeting,
                    step="revocations",
                    confirm_label=W["revoke_button"],
                    typed=str(len(serials)) if many else "",
                    typed_label=W["revoke_typed"].format(count=len(serials)) if many else "",
                    state=confirm_fingerprint(serials, revoked),
                ),
            )
            if ask:
                return ask
            await revoke_sheets(runtime, info, meeting, actor.label, serials=serials, reason=reason)
            return back(info, meeting, "revoked")

        return await self._handle(
            request, actor, runtime, district, meeting, "revoke", act, keep=("serials", "reason")
        )

    # --- proxies (委托投票) ------------------------------------------------------------------------

    @post(
        "/meetings/{meeting:str}/console/proxies",
        status_code=200,  # the proxy's sheet, downloaded
        request_max_body_size=MAX_SCAN_BYTES * 2,
        opt=upload_limit(MAX_SCAN_BYTES),
    )
    async def proxy(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        """Record a written authorisation and hand out the proxy's sheet (a download: the only copy of
        its secret). The form carries its own confirmation — a box the clerk ticks after checking the
        signed original — since the scan cannot travel through a confirmation page and back."""

        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            check_uploads(request)
            if text(form, "checked") != "on":
                raise BadRequest("voting_proxy_unchecked")
            picked = [p for p in form.getall("motions", []) if isinstance(p, str)]
            if not picked:  # the API's empty list means every motion; an unticked form means none
                raise BadRequest("voting_proxy_no_motions")
            authorisation = await authorisation_from(
                text(form, "serial"),
                text(form, "proxy_name"),
                text(form, "proxy_id"),
                parse_positions(" ".join(picked)),
                _instructions(form),
                form.get("scan"),
            )
            summary, result = await record_proxy(runtime, info, meeting, actor.label, authorisation)
            return download(result.docx, f"受托人表决票-{meeting}-{summary['number']}.docx", DOCX)

        return await self._handle(
            request,
            actor,
            runtime,
            district,
            meeting,
            "proxy",
            act,
            keep=("serial", "proxy_name"),
        )

    @post("/meetings/{meeting:str}/console/transfers", status_code=200)
    async def transfer(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        """An ownership transfer during the vote (产权转移): asks first; then either the new owner's
        sheet (a download) or, when the old owner's ballot stands, back to the page saying so."""

        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            data = Transfer(
                serial=text(form, "serial"),
                new_owner=text(form, "new_owner"),
                transferred_on=parse_date(text(form, "transferred_on")),
                evidence=text(form, "evidence"),
                paper_returned=text(form, "paper_returned") == "on",
            )
            row = await get_meeting(meeting, info)
            await voter_by_serial(row["id"], data.serial)  # an unknown serial is named before asking
            ask = confirmation_pending(
                form,
                meeting_confirmation(
                    code="voting_transfer",
                    title=W["transfer_title"],
                    summary=[
                        W["transfer_summary"].format(
                            serial=data.serial,
                            on=people_date(data.transferred_on),
                            name=data.new_owner or "（未填）",
                            evidence=data.evidence or "未填",
                        ),
                        W["transfer_rule"],
                    ],
                    info=info,
                    meeting=meeting,
                    step="transfers",
                    confirm_label=W["transfer_button"],
                    state=confirm_fingerprint(data.serial, data.new_owner, data.transferred_on.isoformat()),
                ),
            )
            if ask:
                return ask
            summary, printed = await record_transfer(runtime, info, meeting, actor.label, data)
            if printed is None:
                return back(info, meeting, "transfer_stands", "transfers")
            return download(printed.docx, f"新业主表决票-{meeting}-{summary['sheet']}.docx", DOCX)

        return await self._handle(
            request,
            actor,
            runtime,
            district,
            meeting,
            "transfer",
            act,
            keep=("serial", "new_owner", "transferred_on", "evidence", "paper_returned"),
        )

    # --- delivery ------------------------------------------------------------------------------

    @post("/meetings/{meeting:str}/console/deliveries", status_code=HTTP_303_SEE_OTHER)
    async def deliver(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        """One sheet. A sheet already recorded comes back with a warning (``voting_delivery_duplicate``:
        when, how, by whom) and the choice to correct that record, never a second record."""

        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            serial = text(form, "serial")
            method = method_of(form)
            delivered_on = parse_date(text(form, "delivered_on"))
            row = await get_meeting(meeting, info)
            existing = await delivery_of(row, serial)
            if existing:
                ask = confirmation_pending(
                    form,
                    Confirmation(
                        code="voting_delivery_duplicate",
                        title=W["delivery_title"],
                        summary=[message("voting_delivery_duplicate", **(await delivery_words(existing)))],
                        action=f"{meeting_url(info, meeting)}/console/deliveries",
                        confirm_label=W["delivery_button"],
                        cancel_href=f"{meeting_url(info, meeting)}/console#delivery",
                        state=confirm_fingerprint(existing["id"], str(existing["recorded_at"])),
                        warning=True,
                        status_code=409,
                    ),
                )
                if ask:
                    return ask
            await record_delivery(
                runtime,
                info,
                meeting,
                actor.label,
                serial=serial,
                method=method,
                delivered_on=delivered_on,
                received_by=text(form, "received_by"),
                witness_1=text(form, "witness_1"),
                witness_2=text(form, "witness_2"),
                correct=bool(existing) and is_confirmed(form),
            )
            return back(info, meeting, "corrected" if existing else "delivered", "delivery")

        return await self._handle(
            request, actor, runtime, district, meeting, "delivery", act, keep=DELIVERY_FIELDS
        )

    @post("/meetings/{meeting:str}/console/deliveries/building", status_code=HTTP_303_SEE_OTHER)
    async def deliver_building(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        """本楼栋全部送达: every printed, undelivered sheet of a building, after the panel states how
        many; all in one transaction."""

        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            building = building_param(text(form, "building"))
            if building is None:
                raise BadRequest("voting_delivery_building_missing")
            method = method_of(form)
            delivered_on = parse_date(text(form, "delivered_on"))
            words = {"witness_1": text(form, "witness_1"), "witness_2": text(form, "witness_2")}
            plan = await record_building_delivery(
                runtime,
                info,
                meeting,
                actor.label,
                building=building,
                method=method,
                delivered_on=delivered_on,
                dry_run=True,
                witness_1=words["witness_1"],
                witness_2=words["witness_2"],
            )
            name = building or UNDELIVERED_WORDS["no_building"]
            ask = confirmation_pending(
                form,
                Confirmation(
                    code="voting_delivery_batch",
                    title=W["batch_title"].format(building=name),
                    summary=[
                        W["batch_summary"].format(
                            building=name,
                            count=plan["count"],
                            method=label(f"delivery.{method}"),
                            date=people_date(delivered_on),
                        ),
                        W["batch_witnesses"].format(**words) if method == "door" else W["batch_in_person"],
                        "、".join(plan["serials"]),
                    ],
                    action=f"{meeting_url(info, meeting)}/console/deliveries/building",
                    confirm_label=W["batch_button"],
                    cancel_href=f"{meeting_url(info, meeting)}/console#delivery",
                    state=confirm_fingerprint(plan["voters"]),
                ),
            )
            if ask:
                return ask
            await record_building_delivery(
                runtime,
                info,
                meeting,
                actor.label,
                building=building,
                method=method,
                delivered_on=delivered_on,
                expected=plan["voters"],
                witness_1=words["witness_1"],
                witness_2=words["witness_2"],
            )
            return back(info, meeting, "batch", "delivery")

        return await self._handle(request, actor, runtime, district, meeting, "batch", act, keep=BATCH_FIELDS)

    # --- the vote ------------------------------------------------------------------------------

    @post("/meetings/{meeting:str}/console/open", status_code=HTTP_303_SEE_OTHER)
    async def open(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            reason = text(form, "override_reason")
            row, missing, kept = await open_check(runtime, info, meeting, reason)
            summary = [W["open_summary"]]
            if missing:
                summary.append(W["open_undelivered"].format(count=missing, reason=kept))
            ask = confirmation_pending(
                form,
                meeting_confirmation(
                    code="voting_open",
                    title=W["open_title"],
                    summary=[*summary, W["irreversible"]],
                    info=info,
                    meeting=meeting,
                    step="open",
                    confirm_label=W["open_button"],
                    state=confirm_fingerprint(row["status"], missing),
                ),
            )
            if ask:
                return ask
            await open_voting(runtime, info, meeting, actor.label, reason)
            return back(info, meeting, "opened")

        return await self._handle(
            request, actor, runtime, district, meeting, "open", act, keep=("override_reason",)
        )

    @post("/meetings/{meeting:str}/console/seal", status_code=HTTP_303_SEE_OTHER)
    async def seal(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        async def act(info: DistrictInfo, form: Any) -> Response[Any] | Confirmation:
            row = await get_meeting(meeting, info)
            if row["status"] in ("open", "closed") and await district_now(info) < row["voting_closes"]:
                raise Conflict("voting_seal_before_close")  # said before asking, not after
            online = await VotingBallot.count().where(VotingBallot.meeting == row["id"])
            paper = await VotingPaperBallot.count().where(VotingPaperBallot.meeting == row["id"])
            voters = await VotingVoter.count().where(VotingVoter.meeting == row["id"])
            ask = confirmation_pending(
                form,
                meeting_confirmation(
                    code="voting_seal",
                    title=W["seal_title"],
                    summary=[
                        W["seal_summary"],
                        W["seal_counts"].format(online=online, paper=paper, voters=voters),
                        W["irreversible"],
                    ],
                    info=info,
                    meeting=meeting,
                    step="seal",
                    confirm_label=W["seal_button"],
                    state=confirm_fingerprint(row["status"], online, paper),
                ),
            )
            if ask:
                return ask
            await seal_meeting(runtime, info, meeting, actor.label)
            return back(info, meeting, "sealed")

        return await self._handle(request, actor, runtime, district, meeting, "seal", act)

    @post("/meetings/{meeting:str}/console/head", status_code=HTTP_303_SEE_OTHER, opt=DOCUMENTS)
    async def head(
        self, request: Request_, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[Any]:
        """Sign the board's head now (docs/protocol.md §12): officers and the estate's committee."""
        info = await get_district(district)
        await read_form(request)
        try:
            await sign_head(runtime, info, meeting, actor.label, trigger="manual")
        except FORM_ERRORS as exc:
            return await meeting_view(
                request, actor, runtime, info, meeting, errors={"head": exc.message}, status=exc.status_code
            )
        return back(info, meeting, "head", "board-head")
