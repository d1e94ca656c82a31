"""The voting plugin's staff JSON API (mounted under /d/{district}/voting/ by core.district_router)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import (
    DOCX,
    XLSX,
    ZIP,
    Actor,
    BadRequest,
    Reach,
    Runtime,
    body_error_handlers,
    download,
    get_district,
    record_audit,
    require_manager,
)
from plugins.voting.schemas import (
    DeliveryIn,
    ExtendIn,
    MeetingIn,
    ObjectionAnswerIn,
    ObjectionIn,
    OpenIn,
    PaperIn,
    PrintIn,
    RevokeIn,
    ScrutineerKeyIn,
    TransferIn,
)
from plugins.voting.services.announcement import announcement_document
from plugins.voting.services.ballots import print_ballots
from plugins.voting.services.delivery import (
    delivery_list_document,
    notice_document,
    open_voting,
    record_delivery,
    undelivered_xlsx,
    voters_xlsx,
)
from plugins.voting.services.meetings import (
    create_meeting,
    get_meeting,
    meeting_summaries,
    meeting_summary,
    meetings_xlsx,
    publish_meeting,
)
from plugins.voting.services.paper import (
    PaperEntry,
    count_sheet_template,
    enter_paper_ballots,
    import_count_sheet,
    paper_overview,
)
from plugins.voting.services.proxies import (
    MAX_SCAN_BYTES,
    Authorisation,
    list_proxies,
    parse_instructions,
    parse_positions,
    proxy_scan,
    record_proxy,
)
from plugins.voting.services.register import import_register, register_template
from plugins.voting.services.result_phases import (
    answer_objection,
    extend_voting,
    extension_document,
    phase_status,
    preliminary_document,
    record_objection,
)
from plugins.voting.services.revocation import revoke_sheet
from plugins.voting.services.scrutineers import register_scrutineer_key, scrutineer_keys
from plugins.voting.services.seal import full_record, seal_meeting, tally_of
from plugins.voting.services.transfers import Transfer, list_transfers, record_transfer
from plugins.voting.web.roles import COUNT, DOCUMENTS, READ, SIGN_IN

#: A wrong meeting file over HTTP answers as on the CLI: ``voting_meeting_file`` naming the field.
MEETING_FILE_ERRORS = body_error_handlers(
    lambda p: BadRequest(
        "voting_meeting_file",
        detail=p.words if p.field == "$" else f"{p.field} {p.words}",
        details={"field": p.field},
    )
)


#: A register or a count sheet as uploaded (the form states it: "文件不超过 2 MB").
UPLOAD_BYTES = 2 * 1024 * 1024
#: a scanned authorisation (a phone photo or a PDF)


class VotingController(Controller):
    """The JSON API of a district's registers and meetings."""

    @post(
        "/estates/{estate:str}/register",
        operation_id="VotingImportRegister",
        status_code=201,
        request_max_body_size=UPLOAD_BYTES,
    )
    async def import_register_file(
        self,
        actor: Actor,
        district: str,
        estate: str,
        data: Annotated[RegisterForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        info = await get_district(district)
        require_manager(actor, info)
        if data.data is None:  # (a bare UploadFile parameter made a form without a file a 500)
            raise BadRequest("voting_register_empty")
        content = await data.data.read()
        return await import_register(info, estate, content, data.data.filename or "register.csv", actor.label)

    @get("/register-template.xlsx", operation_id="VotingRegisterTemplate", media_type=XLSX)
    async def register_template_file(self) -> Response[bytes]:
        """The register's fill-in template (XLSX: Chinese headings, an example row, 填写说明)."""
        content, filename = register_template()
        return download(content, filename, XLSX)

    @get(
        "/meetings/{meeting:str}/count-sheet-template.xlsx",
        operation_id="VotingCountSheetTemplate",
        media_type=XLSX,
        opt=COUNT,
    )
    async def count_sheet_template_file(self, district: str, meeting: str) -> Response[bytes]:
        content, filename = await count_sheet_template(await get_district(district), meeting)
        return download(content, filename, XLSX)

    @get("/meetings.xlsx", operation_id="VotingExportMeetings", media_type=XLSX, opt=READ)
    async def export_meetings(self, runtime: Runtime, district: str, reach: Reach) -> Response[bytes]:
        """The district's meetings (those the caller may see) as an XLSX."""
        content, filename = await meetings_xlsx(runtime, await get_district(district), reach)
        return download(content, filename, XLSX)

    @get(
        "/meetings/{meeting:str}/voters.xlsx",
        operation_id="VotingExportVoters",
        media_type=XLSX,
        opt=DOCUMENTS,
    )
    async def export_voters(self, actor: Actor, district: str, meeting: str) -> Response[bytes]:
        """The meeting's voters and how their sheets were delivered, as an XLSX (audited read)."""
        content, filename = await voters_xlsx(await get_district(district), meeting, actor.label)
        return download(content, filename, XLSX)

    @get("/meetings/{meeting:str}/undelivered.xlsx", operation_id="VotingExportUndelivered", media_type=XLSX)
    async def export_undelivered(
        self, actor: Actor, district: str, meeting: str, building: str | None = None
    ) -> Response[bytes]:
        """The sheets not yet delivered (of one building: ``building``), as an XLSX (audited read)."""
        info = await get_district(district)
        require_manager(actor, info)
        chosen = building.strip() if building and building.strip() else None
        chosen = "" if chosen == "~" else chosen  # the units whose code names no building
        content, filename = await undelivered_xlsx(info, meeting, actor.label, chosen)
        return download(content, filename, XLSX)

    @post(
        "/meetings/{meeting:str}/ballots", operation_id="VotingPrintBallots", status_code=200, media_type=DOCX
    )
    async def print_sheets(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str, data: PrintIn
    ) -> Response[bytes]:
        """Issue credentials and return the sheets (the only copy of the owners' secrets)."""
        info = await get_district(district)
        require_manager(actor, info)
        result = await print_ballots(
            runtime, info, meeting, actor.label, voter_nos=data.voters or None, reprint_all=data.reprint_all
        )
        return download(result.docx, f"表决票-{meeting}.docx", DOCX)

    @get("/meetings", operation_id="VotingListMeetings", opt=READ)
    async def list_meetings(self, district: str, reach: Reach) -> list[dict[str, Any]]:
        return await meeting_summaries(await get_district(district), reach)

    @post(
        "/estates/{estate:str}/meetings",
        operation_id="VotingCreateMeeting",
        status_code=201,
        exception_handlers=MEETING_FILE_ERRORS,
    )
    async def create(
        self, actor: Actor, runtime: Runtime, district: str, estate: str, data: MeetingIn
    ) -> dict[str, Any]:
        """Create a meeting from its meeting file (the same JSON as ``wuye voting meeting create``)."""
        info = await get_district(district)
        require_manager(actor, info)
        return await create_meeting(runtime, info, estate, data, actor.label)

    @get("/meetings/{meeting:str}", operation_id="VotingGetMeeting", opt=READ)
    async def get_meeting(self, district: str, meeting: str) -> dict[str, Any]:

        info = await get_district(district)
        await get_meeting(meeting, info)  # 404 for another district's meeting
        return await meeting_summary(meeting)

    @post("/meetings/{meeting:str}/deliveries", operation_id="VotingRecordDelivery", status_code=201)
    async def record_delivery(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str, data: DeliveryIn
    ) -> dict[str, Any]:

        info = await get_district(district)
        require_manager(actor, info)
        return await record_delivery(runtime, info, meeting, actor.label, **msgspec.structs.asdict(data))

    @get(
        "/meetings/{meeting:str}/notice.docx",
        media_type=DOCX,
        operation_id="VotingNoticeDocument",
        opt=DOCUMENTS,
    )
    async def notice(self, runtime: Runtime, district: str, meeting: str) -> Response[bytes]:

        info = await get_district(district)
        return download(await notice_document(runtime, info, meeting), f"表决会议公告-{meeting}.docx", DOCX)

    @get(
        "/meetings/{meeting:str}/deliveries.docx",
        media_type=DOCX,
        operation_id="VotingDeliveryDocument",
        opt=DOCUMENTS,
    )
    async def delivery_list(self, runtime: Runtime, district: str, meeting: str) -> Response[bytes]:

        info = await get_district(district)
        return download(
            await delivery_list_document(runtime, info, meeting), f"表决票送达记录-{meeting}.docx", DOCX
        )

    @post("/meetings/{meeting:str}/open", operation_id="VotingOpenMeeting", status_code=200)
    async def open(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str, data: OpenIn
    ) -> dict[str, Any]:

        info = await get_district(district)
        require_manager(actor, info)
        return await open_voting(runtime, info, meeting, actor.label, data.override_reason)

    @post(
        "/meetings/{meeting:str}/paper",
        operation_id="VotingEnterPaperBallot",
        status_code=201,
        opt=COUNT,
    )
    async def enter_paper(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str, data: PaperIn
    ) -> dict[str, Any]:
        """Enter one paper sheet at the count (the counter is the logged-in user)."""
        info = await get_district(district)
        entry = PaperEntry(data.serial, _paper_values(data.choices), handed_in=data.handed_in)
        return await enter_paper_ballots(
            runtime,
            info,
            meeting,
            actor.label,
            [entry],
            scrutineer=data.scrutineer,
            passphrase=data.passphrase,
        )

    @post(
        "/meetings/{meeting:str}/scrutineer-keys",
        operation_id="VotingRegisterScrutineerKey",
        status_code=201,
        opt=SIGN_IN,
    )
    async def register_scrutineer_key(
        self, actor: Actor, district: str, meeting: str, data: ScrutineerKeyIn
    ) -> dict[str, Any]:
        """A scrutineer's first sign-in to the count: their own key is made and kept under the
        passphrase they type (never stored); the public key is audited with their name and role."""
        info = await get_district(district)
        return await register_scrutineer_key(info, meeting, actor.label, data.scrutineer, data.passphrase)

    @get(
        "/meetings/{meeting:str}/scrutineer-keys",
        operation_id="VotingScrutineerKeys",
        opt=READ,
    )
    async def scrutineer_key_list(self, district: str, meeting: str) -> dict[str, Any]:
        """The meeting's scrutineer keys (public parts): who registered one and when."""
        row = await get_meeting(meeting, await get_district(district))
        return {
            "keys": [
                {**k, "registered_at": k["registered_at"].isoformat()}
                for k in await scrutineer_keys(row["id"])
            ]
        }

    @post(
        "/meetings/{meeting:str}/count-sheet",
        operation_id="VotingImportCountSheet",
        status_code=201,
        opt=COUNT,
        request_max_body_size=UPLOAD_BYTES,
    )
    async def import_count_sheet(
        self,
        actor: Actor,
        runtime: Runtime,
        district: str,
        meeting: str,
        data: Annotated[CountSheetForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        """Import a count sheet (CSV/XLSX: ``serial`` and one column per motion), all or nothing."""
        info = await get_district(district)
        content = await data.file.read()
        return await import_count_sheet(
            runtime,
            info,
            meeting,
            actor.label,
            content,
            data.file.filename or "count.csv",
            scrutineer=data.scrutineer,
            passphrase=data.passphrase,
        )

    @get(
        "/meetings/{meeting:str}/paper",
        operation_id="VotingPaperOverview",
        opt=READ,
    )
    async def paper_overview(self, runtime: Runtime, district: str, meeting: str) -> dict[str, Any]:

        info = await get_district(district)
        return await paper_overview(runtime, await get_meeting(meeting, info))

    @post("/meetings/{meeting:str}/revocations", operation_id="VotingRevokeSheet", status_code=201)
    async def revoke(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str, data: RevokeIn
    ) -> dict[str, Any]:
        """Revoke a lost sheet (reason required); reissue with the print endpoint."""
        info = await get_district(district)
        require_manager(actor, info)
        return await revoke_sheet(runtime, info, meeting, actor.label, serial=data.serial, reason=data.reason)

    @post("/meetings/{meeting:str}/seal", operation_id="VotingSealMeeting", status_code=200)
    async def seal(self, actor: Actor, runtime: Runtime, district: str, meeting: str) -> dict[str, Any]:
        """Seal the record after voting closed and the paper ballots are in; the tally follows."""
        info = await get_district(district)
        require_manager(actor, info)
        result = await seal_meeting(runtime, info, meeting, actor.label)
        return {k: v for k, v in result.items() if k != "tally"}

    @get("/meetings/{meeting:str}/tally", operation_id="VotingTally", opt=READ)
    async def tally(self, actor: Actor, district: str, meeting: str) -> dict[str, Any]:
        """The result, recomputed from the sealed record."""
        info = await get_district(district)
        await get_meeting(meeting, info)
        return await tally_of(meeting)

    @get(
        "/meetings/{meeting:str}/result.docx",
        media_type=DOCX,
        operation_id="VotingResultAnnouncement",
        opt=DOCUMENTS,
    )
    async def result_document(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[bytes]:
        """The result announcement (表决结果公告), for a committee member or an officer to issue."""
        info = await get_district(district)
        content = await announcement_document(runtime, info, meeting, actor.label)
        return download(content, f"表决结果公告-{meeting}.docx", DOCX)

    @get(
        "/meetings/{meeting:str}/preliminary.docx",
        media_type=DOCX,
        operation_id="VotingPreliminaryResult",
        opt=DOCUMENTS,
    )
    async def preliminary(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[bytes]:
        """The preliminary result notice (初步统计结果公示); its first issue opens the objection period."""
        info = await get_district(district)
        content = await preliminary_document(runtime, info, meeting, actor.label)
        return download(content, f"表决初步统计结果公示-{meeting}.docx", DOCX)

    @get("/meetings/{meeting:str}/objections", operation_id="VotingObjections", opt=READ)
    async def objection_list(self, runtime: Runtime, district: str, meeting: str) -> dict[str, Any]:
        """The preliminary phase: its period and the objections with their answers (``phase``: null
        when no preliminary notice was issued)."""
        info = await get_district(district)
        row = await get_meeting(meeting, info)
        return {"meeting": meeting, "phase": await phase_status(runtime, row)}

    @post(
        "/meetings/{meeting:str}/objections",
        operation_id="VotingRecordObjection",
        status_code=201,
        opt=DOCUMENTS,
    )
    async def objection(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str, data: ObjectionIn
    ) -> dict[str, Any]:
        info = await get_district(district)
        return await record_objection(runtime, info, meeting, actor.label, data)

    @post(
        "/meetings/{meeting:str}/objections/{number:int}/answer",
        operation_id="VotingAnswerObjection",
        status_code=200,
        opt=DOCUMENTS,
    )
    async def answer(
        self,
        actor: Actor,
        runtime: Runtime,
        district: str,
        meeting: str,
        number: int,
        data: ObjectionAnswerIn,
    ) -> dict[str, Any]:
        info = await get_district(district)
        return await answer_objection(runtime, info, meeting, number, actor.label, data)

    @post(
        "/meetings/{meeting:str}/extend", operation_id="VotingExtendMeeting", status_code=200, opt=DOCUMENTS
    )
    async def extend(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str, data: ExtendIn
    ) -> dict[str, Any]:
        """A later close of an open vote whose participation is short (then the 延期公告)."""
        info = await get_district(district)
        return await extend_voting(runtime, info, meeting, actor.label, data)

    @get(
        "/meetings/{meeting:str}/extension.docx",
        media_type=DOCX,
        operation_id="VotingExtensionNotice",
        opt=DOCUMENTS,
    )
    async def extension(self, actor: Actor, runtime: Runtime, district: str, meeting: str) -> Response[bytes]:
        info = await get_district(district)
        content = await extension_document(runtime, info, meeting, actor.label)
        return download(content, f"延长表决期限公告-{meeting}.docx", DOCX)

    @get("/meetings/{meeting:str}/record.zip", media_type=ZIP, operation_id="VotingFullRecord", opt=READ)
    async def full_record(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> Response[bytes]:
        """The full sealed record: the public bundle with ``private.json`` (units, names, serials, who
        entered each paper sheet, the salts that open the public commitments). For the office, the
        committee and the count's scrutineers; every download is audited (docs/protocol.md §10)."""
        info = await get_district(district)
        content = await full_record(runtime, info, meeting, actor.label)
        return download(content, f"完整表决记录-{meeting}.zip", ZIP)

    @post(
        "/meetings/{meeting:str}/proxies",
        operation_id="VotingRecordProxy",
        status_code=201,
        media_type=DOCX,
        request_max_body_size=MAX_SCAN_BYTES,
    )
    async def record_proxy(
        self,
        actor: Actor,
        runtime: Runtime,
        district: str,
        meeting: str,
        data: Annotated[ProxyForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[bytes]:
        """Record a written authorisation (委托投票) and return the proxy's sheet (the only copy of its
        secret); the voter's own sheet is revoked. The authorisation's number is in ``X-Wuye-Proxy``."""
        info = await get_district(district)
        require_manager(actor, info)
        authorisation = await authorisation_from(
            data.serial,
            data.proxy_name,
            data.proxy_id,
            parse_positions(data.motions),
            parse_instructions(data.instructions),
            data.scan,
        )
        summary, result = await record_proxy(runtime, info, meeting, actor.label, authorisation)
        response = download(result.docx, f"受托人表决票-{meeting}-{summary['number']}.docx", DOCX)
        response.status_code = 201
        response.headers["X-Wuye-Proxy"] = str(summary["number"])
        return response

    @get("/meetings/{meeting:str}/proxies", operation_id="VotingListProxies")
    async def list_proxies(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str
    ) -> list[dict[str, Any]]:
        """The meeting's written authorisations (who, for whom, which motions)."""
        info = await get_district(district)
        require_manager(actor, info)
        return await list_proxies(runtime, info, meeting)

    @get("/meetings/{meeting:str}/proxies/{number:int}/scan", operation_id="VotingProxyScan")
    async def proxy_scan(self, actor: Actor, district: str, meeting: str, number: int) -> Response[bytes]:
        """The scan of a signed authorisation (an audited read: it is personal data)."""
        info = await get_district(district)
        require_manager(actor, info)
        content, kind, filename = await proxy_scan(info, meeting, number)
        await record_audit(
            actor.label, "voting.proxy_scan_read", district=info.slug, target=f"{meeting}:{number}"
        )
        return download(content, filename, kind)

    @post("/meetings/{meeting:str}/transfers", operation_id="VotingRecordTransfer", status_code=201)
    async def record_transfer(
        self, actor: Actor, runtime: Runtime, district: str, meeting: str, data: TransferIn
    ) -> Response[bytes]:
        """Record an ownership transfer during the vote (产权转移). When the old owner has not voted,
        201 with the new owner's sheet (docx, the only copy of its secret; ``X-Wuye-Transfer:
        reissued``); when the old owner's ballot stands, 200 with the summary as JSON
        (``X-Wuye-Transfer: ballot_stands``): nothing is printed."""
        info = await get_district(district)
        require_manager(actor, info)
        summary, printed = await record_transfer(
            runtime, info, meeting, actor.label, Transfer(**msgspec.structs.asdict(data))
        )
        if printed is None:
            response = Response(msgspec.json.encode(summary), status_code=200, media_type="application/json")
        else:
            response = download(printed.docx, f"新业主表决票-{meeting}-{summary['sheet']}.docx", DOCX)
            response.status_code = 201
        response.headers["X-Wuye-Transfer"] = summary["outcome"]
        return response

    @get("/meetings/{meeting:str}/transfers", operation_id="VotingListTransfers")
    async def list_transfers(self, actor: Actor, district: str, meeting: str) -> list[dict[str, Any]]:
        """The ownership transfers recorded during the vote."""
        info = await get_district(district)
        require_manager(actor, info)
        return await list_transfers(info, meeting)

    @post("/meetings/{meeting:str}/publish", operation_id="VotingPublishMeeting", status_code=200)
    async def publish(self, actor: Actor, runtime: Runtime, district: str, meeting: str) -> dict[str, Any]:
        info = await get_district(district)
        require_manager(actor, info)
        return await publish_meeting(runtime, info, meeting, actor.label)


@dataclass
class RegisterForm:
    """A register upload: the file (CSV/XLSX) in the ``data`` field."""

    data: UploadFile | None = None


async def authorisation_from(
    serial: str,
    proxy_name: str,
    proxy_id: str,
    motions: list[int],
    instructions: dict[int, str],
    upload: Any,
) -> Authorisation:
    """The authorisation a form gives (the API's and the console's), with its uploaded scan."""
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    return Authorisation(
        serial=serial,
        proxy_name=proxy_name,
        proxy_id=proxy_id,
        motions=motions,
        instructions=instructions,
        scan=await upload.read() if has_file else b"",
        scan_name=upload.filename if has_file else "",
    )


@dataclass
class ProxyForm:
    """A written authorisation: the voter's sheet serial, the proxy, the motions (``1,2``; empty: all),
    the owner's instructions (``1=同意；3=赵一、钱二``; empty: none) and the scan of the signed paper."""

    serial: str = ""
    proxy_name: str = ""
    proxy_id: str = ""
    motions: str = ""
    instructions: str = ""
    scan: UploadFile | None = None


@dataclass
class CountSheetForm:
    """A count sheet upload: the file and the scrutineer who confirmed it."""

    file: UploadFile
    scrutineer: str
    passphrase: str = ""  #: the scrutineer's, to sign each row (docs/protocol.md §8.2)


def _paper_values(choices: dict[str, str]) -> dict[int, str]:
    try:
        return {int(k): v for k, v in choices.items()}
    except ValueError:
        raise BadRequest("voting_cast_malformed") from None
