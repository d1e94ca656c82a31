"""``wuye voting ...``: register import, meetings, ballot printing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from core import CLIError, cli_actor, echo_json, exit_program, message, run_db

if TYPE_CHECKING:
    from core import Runtime  # annotations only: `wuye verify` must not load the database layer


async def resolve_estate(estate: str, district: str | None) -> tuple[Any, str]:
    """(district, estate code) for ``--estate`` (and ``--district`` when the code is ambiguous)."""
    from core import BadRequest, Estate, NotFound, district_by_id, get_district

    if district:
        return await get_district(district), estate
    rows = await Estate.select(Estate.district).where(Estate.code == estate)
    if not rows:
        raise NotFound("estate_not_found")
    if len(rows) > 1:
        raise BadRequest("validation_failed", detail=f"多个区/街道都有小区 {estate}，请用 --district 指明")
    return await district_by_id(rows[0]["district"]), estate


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CLIError(f"无法读取文件：{exc}") from None


def invalid_to_cli(exc: Any, line: Any) -> CLIError:
    """An :class:`~core.errors.Invalid` with per-item details → one CLI error listing them all."""
    return CLIError("\n".join([exc.message, *(f"  {line(p)}" for p in exc.details)]))


@click.group()
def voting() -> None:
    """业主大会表决 (owners' assembly voting)."""


@voting.group("register")
def register() -> None:
    """The electoral register (业主名册) of an estate."""


@register.command("import")
@click.option("--estate", "-e", required=True, help="小区编号")
@click.option("--district", "-d", default=None, help="区/街道编号（小区编号不唯一时必填）")
@click.option("--json", "as_json", is_flag=True)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def register_import(estate: str, district: str | None, as_json: bool, file: Path) -> None:
    """Import a register from CSV (UTF-8) or XLSX: every row valid, or nothing imported."""
    from core import Invalid
    from plugins.voting.protocol.register import RegisterFileError
    from plugins.voting.services.register import import_register

    content = read_file(file)

    async def go(_runtime: Runtime) -> dict[str, Any]:
        where, code = await resolve_estate(estate, district)
        try:
            return await import_register(where, code, content, file.name, cli_actor())
        except RegisterFileError as exc:
            raise CLIError(exc.message) from None
        except Invalid as exc:
            raise invalid_to_cli(exc, lambda p: f"第 {p['row']} 行 {p['column']}：{p['message']}") from None

    result = run_db(go)
    if as_json:
        echo_json(result)
    else:
        click.echo(f"已导入 {result['units']} 户，专有部分面积合计 {result['area_m2']} 平方米。")


@voting.group("meeting")
def meeting() -> None:
    """Owners' assembly meetings (业主大会会议)."""


@meeting.command("create")
@click.option("--estate", "-e", required=True, help="小区编号")
@click.option("--district", "-d", default=None)
@click.option("--json", "as_json", is_flag=True)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def meeting_create(estate: str, district: str | None, as_json: bool, file: Path) -> None:
    """Create a meeting (draft) from a meeting file (JSON; see docs/plugins/voting.md)."""
    from core import Invalid
    from plugins.voting.services.meetings import create_meeting, parse_meeting_file

    content = read_file(file)

    async def go(runtime: Runtime) -> dict[str, Any]:
        where, code = await resolve_estate(estate, district)
        try:
            return await create_meeting(runtime, where, code, parse_meeting_file(content), cli_actor())
        except Invalid as exc:
            raise invalid_to_cli(exc, lambda p: f"{p['field']}：{p['message']}") from None

    result = run_db(go)
    if as_json:
        echo_json(result)
    else:
        click.echo(f"已创建表决会议（草稿）：{result['meeting']}  {result['title']}")


@meeting.command("publish")
@click.argument("meeting_id")
@click.option("--json", "as_json", is_flag=True)
def meeting_publish(meeting_id: str, as_json: bool) -> None:
    """Publish a meeting: freeze the register (with its digest) and the rules."""
    from core import district_by_id
    from plugins.voting.services.meetings import get_meeting, publish_meeting

    async def go(runtime: Runtime) -> dict[str, Any]:
        row = await get_meeting(meeting_id)
        return await publish_meeting(runtime, await district_by_id(row["district"]), meeting_id, cli_actor())

    result = run_db(go)
    if as_json:
        echo_json(result)
    else:
        click.echo(
            f"已发布：{result['title']}；表决人 {result['voters']} 名；名册摘要 {result['register_digest']}"
        )


@meeting.command("show")
@click.argument("meeting_id")
def meeting_show(meeting_id: str) -> None:
    """Print a meeting as JSON."""
    from plugins.voting.services.meetings import meeting_summary

    echo_json(run_db(lambda _runtime: meeting_summary(meeting_id)))


@voting.group("ballots")
def ballots() -> None:
    """Per-owner ballot sheets (表决票) with QR codes."""


@ballots.command("print")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="表决票 .docx"
)
@click.option(
    "--credentials-csv",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="同时输出给印刷厂的 CSV（含投票密钥，须妥善保管）",
)
@click.option("--voter", "voters", type=int, multiple=True, help="只补发这些表决人（原票作废）")
@click.option("--serial", "serials", multiple=True, help="只补发这些编号的表决票（原票作废）")
@click.option("--reprint-all", is_flag=True, help="全部重印（原票全部作废）")
def ballots_print(
    meeting_id: str,
    out: Path,
    credentials_csv: Path | None,
    voters: tuple[int, ...],
    serials: tuple[str, ...],
    reprint_all: bool,
) -> None:
    """Issue credentials and write one docx with a page per voter."""
    import csv

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from core import district_by_id
    from plugins.voting.services.ballots import print_ballots
    from plugins.voting.services.meetings import get_meeting

    if credentials_csv is not None:
        click.echo(
            "警告：凭证 CSV 含每位业主的投票密钥，任何人持有即可代为投票；请只交给印刷厂并在印制后销毁。",
            err=True,
        )
    labels = {"keys": "生成投票密钥", "qr": "生成二维码", "document": "排版表决票"}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
        disable=not sys.stderr.isatty(),
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels[stage], total=total)
            bar.update(tasks[stage], completed=done)

        async def go(runtime: Runtime) -> Any:
            from plugins.voting.services.revocation import voter_by_serial

            row = await get_meeting(meeting_id)
            wanted = list(voters) + [(await voter_by_serial(row["id"], s))["voter_no"] for s in serials]
            return await print_ballots(
                runtime,
                await district_by_id(row["district"]),
                meeting_id,
                cli_actor(),
                voter_nos=wanted or None,
                reprint_all=reprint_all,
                progress=progress,
            )

        result = run_db(go)
    try:
        out.write_bytes(result.docx)
        if credentials_csv is not None:
            with credentials_csv.open("w", newline="", encoding="utf-8-sig") as fh:
                writer = csv.writer(fh)
                writer.writerow(["serial", "voter_no", "name", "units", "url", "code"])
                for c in result.issued:
                    writer.writerow([c.serial, c.voter_no, c.name, c.units, c.url, c.code])
    except OSError as exc:
        raise CLIError(f"无法写出文件（密钥已登记，请用 --voter 或 --reprint-all 重新印制）：{exc}") from None
    note = f"，作废原票 {result.revoked} 张" if result.revoked else ""
    click.echo(f"已印制表决票 {len(result.issued)} 张{note}：{out}")


@ballots.command("revoke")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--serial", required=True, help="表决票编号")
@click.option("--reason", required=True, help="作废理由（记入审计日志）")
@click.option("--json", "as_json", is_flag=True)
def ballots_revoke(meeting_id: str, serial: str, reason: str, as_json: bool) -> None:
    """Revoke a lost sheet without reprinting it; reissue with ``ballots print --serial``."""
    from plugins.voting.services.revocation import revoke_sheet

    async def go(runtime: Runtime) -> dict[str, Any]:
        return await revoke_sheet(
            runtime,
            await _meeting_district(meeting_id),
            meeting_id,
            cli_actor(),
            serial=serial,
            reason=reason,
        )

    result = run_db(go)
    if as_json:
        echo_json(result)
    else:
        click.echo(
            f"已作废表决票 {result['serial']}（理由：{result['reason']}）；补发请用 ballots print --serial"
        )


@voting.group("paper")
def paper() -> None:
    """Paper ballots at the public count (纸质表决票)."""


@paper.command("import")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--scrutineer", required=True, help="确认本计票表的监票人")
@click.option(
    "--passphrase",
    envvar="WUYE_SCRUTINEER_PASSPHRASE",
    prompt="监票人口令",
    hide_input=True,
    help="监票人本人的口令（用其签名密钥逐行确认；也可由环境变量 WUYE_SCRUTINEER_PASSPHRASE 提供）",
)
@click.option("--json", "as_json", is_flag=True)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def paper_import(meeting_id: str, scrutineer: str, passphrase: str, as_json: bool, file: Path) -> None:
    """Import a count sheet (CSV/XLSX: serial and one column per motion), all or nothing."""
    from core import Invalid
    from plugins.voting.services.paper import import_count_sheet

    content = read_file(file)

    async def go(runtime: Runtime) -> dict[str, Any]:
        try:
            return await import_count_sheet(
                runtime,
                await _meeting_district(meeting_id),
                meeting_id,
                cli_actor(),
                content,
                file.name,
                scrutineer=scrutineer,
                passphrase=passphrase,
            )
        except Invalid as exc:
            raise invalid_to_cli(exc, lambda p: f"第 {p['row']} 行 {p['column']}：{p['message']}") from None

    result = run_db(go)
    if as_json:
        echo_json(result)
        return
    counts = result["statuses"]
    click.echo(
        f"已录入纸质表决票 {result['entered']} 张：计入 {counts['counted']} 张，"
        f"已网上投票 {counts['conflict_online']} 张，已作废 {counts['revoked']} 张，"
        f"截止后交回 {counts['late']} 张。"
    )
    for entry in result["entries"]:
        if entry["status"] != "counted":
            click.echo(f"  {entry['serial']}：{entry['message']}")


@paper.command("sign-in")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--scrutineer", required=True, help="首次登录计票的监票人")
@click.option(
    "--passphrase",
    envvar="WUYE_SCRUTINEER_PASSPHRASE",
    prompt="监票人设置口令",
    hide_input=True,
    confirmation_prompt=True,
    help="监票人本人设置的口令（不保存；其签名密钥只以此口令加密保存）",
)
@click.option("--json", "as_json", is_flag=True)
def paper_sign_in(meeting_id: str, scrutineer: str, passphrase: str, as_json: bool) -> None:
    """A scrutineer's first sign-in to the count: their own signing key (docs/protocol.md §8.2)."""
    from plugins.voting.services.scrutineers import register_scrutineer_key

    async def go(runtime: Runtime) -> dict[str, Any]:
        district = await _meeting_district(meeting_id)
        return await register_scrutineer_key(district, meeting_id, cli_actor(), scrutineer, passphrase)

    result = run_db(go)
    if as_json:
        echo_json(result)
        return
    click.echo(f"已为监票人{result['name']}登记签名密钥，密钥指纹 {result['fingerprint']}（请记入计票记录）")


@paper.command("list")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--json", "as_json", is_flag=True)
def paper_list(meeting_id: str, as_json: bool) -> None:
    """Paper entries so far and every conflict."""
    from plugins.voting.services.meetings import get_meeting
    from plugins.voting.services.paper import paper_overview

    async def go(runtime: Runtime) -> dict[str, Any]:
        return await paper_overview(runtime, await get_meeting(meeting_id))

    result = run_db(go)
    if as_json:
        echo_json(result)
        return
    click.echo(f"已录入 {result['entered']} 张，计入 {result['counted']} 张")
    for c in result["conflicts"]:
        click.echo(f"  {c['serial']}：{c['message']}（录入 {c['entered_by']}，监票 {c['confirmed_by']}）")


@voting.group("proxy")
def proxy() -> None:
    """Written authorisations to vote for an owner (委托投票)."""


@proxy.command("record")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--serial", required=True, help="委托人的表决票编号")
@click.option("--proxy-name", required=True, help="受托人姓名")
@click.option("--proxy-id", required=True, help="受托人身份证件号码（只保存摘要和末四位）")
@click.option("--motions", default="", help="委托的议题，如 1,2（默认全部）")
@click.option("--instructions", default="", help="委托人的表决意见，如 1=同意；3=赵一、钱二")
@click.option(
    "--scan", required=True, type=click.Path(dir_okay=False, path_type=Path), help="授权委托书扫描件"
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="受托人表决票")
@click.option("--json", "as_json", is_flag=True)
def proxy_record(
    meeting_id: str,
    serial: str,
    proxy_name: str,
    proxy_id: str,
    motions: str,
    instructions: str,
    scan: Path,
    out: Path,
    as_json: bool,
) -> None:
    """Record a signed authorisation; the owner's sheet is revoked and the proxy's printed to OUT."""
    from plugins.voting.services.proxies import (
        Authorisation,
        parse_instructions,
        parse_positions,
        record_proxy,
    )

    content = read_file(scan)

    async def go(runtime: Runtime) -> dict[str, Any]:
        authorisation = Authorisation(
            serial=serial,
            proxy_name=proxy_name,
            proxy_id=proxy_id,
            motions=parse_positions(motions),
            instructions=parse_instructions(instructions),
            scan=content,
            scan_name=scan.name,
        )
        summary, result = await record_proxy(
            runtime, await _meeting_district(meeting_id), meeting_id, cli_actor(), authorisation
        )
        out.write_bytes(result.docx)
        return summary

    summary = run_db(go)
    if as_json:
        echo_json(summary)
        return
    click.echo(
        f"已登记第 {summary['number']} 号委托书：{summary['serial']} 委托{summary['proxy_name']}，"
        f"受托人表决票 {summary['proxy_sheet']} 已打印：{out}（原表决票已作废）"
    )


@proxy.command("list")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--json", "as_json", is_flag=True)
def proxy_list(meeting_id: str, as_json: bool) -> None:
    """The meeting's written authorisations."""
    from plugins.voting.services.proxies import list_proxies

    async def go(runtime: Runtime) -> list[dict[str, Any]]:
        return await list_proxies(runtime, await _meeting_district(meeting_id), meeting_id)

    rows = run_db(go)
    if as_json:
        echo_json(rows)
        return
    for p in rows:
        motions = "、".join(str(n) for n in p["motions"])
        told = f"；表决意见：{p['instruction_words']}" if p["instruction_words"] else ""
        click.echo(
            f"第 {p['number']} 号  {p['serial']} → {p['proxy_name']}（尾号 {p['proxy_id_tail']}，"
            f"表决票 {p['proxy_sheet']}）议题 {motions}{told}"
        )


@voting.group("transfer")
def transfer() -> None:
    """Ownership transfers during the vote (产权转移)."""


@transfer.command("record")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--serial", required=True, help="原业主的表决票编号")
@click.option("--new-owner", required=True, help="新业主姓名")
@click.option("--on", "transferred_on", required=True, help="产权转移登记日期 YYYY-MM-DD")
@click.option("--evidence", default="", help="不动产权证书号等凭证")
@click.option("--paper-returned", is_flag=True, help="原业主已交回纸质表决票")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="补发给新业主的表决票")
@click.option("--json", "as_json", is_flag=True)
def transfer_record(
    meeting_id: str,
    serial: str,
    new_owner: str,
    transferred_on: str,
    evidence: str,
    paper_returned: bool,
    out: Path | None,
    as_json: bool,
) -> None:
    """Record a transfer; under ``ballot_stands`` the old owner's cast ballot stands, otherwise the
    new owner's sheet is printed to OUT (required then)."""
    from core import parse_date
    from plugins.voting.services.transfers import Transfer, record_transfer

    async def go(runtime: Runtime) -> dict[str, Any]:
        data = Transfer(
            serial=serial,
            new_owner=new_owner,
            transferred_on=parse_date(transferred_on),
            evidence=evidence,
            paper_returned=paper_returned,
        )
        summary, printed = await record_transfer(
            runtime, await _meeting_district(meeting_id), meeting_id, cli_actor(), data
        )
        if printed is not None:
            target = out or Path(f"新业主表决票-{meeting_id}-{summary['sheet']}.docx")
            target.write_bytes(printed.docx)
            summary = {**summary, "out": str(target)}
        return summary

    summary = run_db(go)
    if as_json:
        echo_json(summary)
    elif "out" in summary:
        click.echo(f"已登记产权转移：原表决票已作废，新业主 {new_owner} 的表决票已打印：{summary['out']}")
    else:
        click.echo(f"已登记产权转移：原业主已表决，按规则其表决有效，不补发表决票（{summary['outcome']}）")


async def _meeting_district(meeting_id: str) -> Any:
    from core import district_by_id
    from plugins.voting.services.meetings import get_meeting

    return await district_by_id((await get_meeting(meeting_id))["district"])


@meeting.command("open")
@click.argument("meeting_id")
@click.option("--override-reason", default="", help="未全部送达时开始表决的理由（记入审计日志）")
def meeting_open(meeting_id: str, override_reason: str) -> None:
    """Open the vote (on or after the meeting day; all sheets delivered, or a reason)."""
    from plugins.voting.services.delivery import open_voting

    async def go(runtime: Runtime) -> Any:
        return await open_voting(
            runtime, await _meeting_district(meeting_id), meeting_id, cli_actor(), override_reason
        )

    result = run_db(go)
    click.echo(f"已开始表决：{result['title']}")


@voting.command("notice")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def notice(meeting_id: str, out: Path) -> None:
    """Write the meeting notice (公告) docx."""
    from plugins.voting.services.delivery import notice_document

    async def go(runtime: Runtime) -> bytes:
        return await notice_document(runtime, await _meeting_district(meeting_id), meeting_id)

    write_output(out, run_db(go))
    click.echo(f"已生成会议公告：{out}")


@voting.group("delivery")
def delivery() -> None:
    """Delivery of the ballot sheets (送达)."""


@delivery.command("record")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--serial", required=True, help="表决票编号")
@click.option("--method", type=click.Choice(["in_person", "door"]), required=True)
@click.option("--date", "delivered_on", default=None, help="送达日期 YYYY-MM-DD（默认今天）")
@click.option("--received-by", default="")
@click.option("--witness", "witnesses", multiple=True, help="见证人（door 方式须两人）")
@click.option("--correct", is_flag=True, help="更正已登记的送达记录（否则重复登记被拒绝）")
def delivery_record(
    meeting_id: str,
    serial: str,
    method: str,
    delivered_on: str | None,
    received_by: str,
    witnesses: tuple[str, ...],
    correct: bool,
) -> None:
    """Record how one voter's sheet was delivered."""
    from core import district_today, parse_date
    from plugins.voting.services.delivery import record_delivery

    async def go(runtime: Runtime) -> Any:
        from plugins.voting.services.meetings import get_meeting

        row = await get_meeting(meeting_id)
        day = (
            parse_date(delivered_on)
            if delivered_on
            else await district_today(row["district"], runtime.jurisdictions.get(row["jurisdiction_code"]))
        )
        pair = [*witnesses, "", ""]
        return await record_delivery(
            runtime,
            await _meeting_district(meeting_id),
            meeting_id,
            cli_actor(),
            serial=serial,
            method=method,  # type: ignore[arg-type]
            delivered_on=day,
            received_by=received_by,
            witness_1=pair[0],
            witness_2=pair[1],
            correct=correct,
        )

    result = run_db(go)
    click.echo(
        f"已登记送达：{result['serial']}（{result['delivered_on']}）"
        + ("，晚于送达期限" if result["late"] else "")
    )


@delivery.command("list")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def delivery_list(meeting_id: str, out: Path) -> None:
    """Write the delivery record (送达记录) docx."""
    from plugins.voting.services.delivery import delivery_list_document

    async def go(runtime: Runtime) -> bytes:
        return await delivery_list_document(runtime, await _meeting_district(meeting_id), meeting_id)

    write_output(out, run_db(go))
    click.echo(f"已生成送达记录：{out}")


def write_output(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise CLIError(f"无法写出文件：{exc}") from None


@voting.command("seal")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--json", "as_json", is_flag=True)
def seal(meeting_id: str, as_json: bool) -> None:
    """Close the count: seal the record under a signed hash root and compute the tally."""
    from plugins.voting.services.seal import seal_meeting

    async def go(runtime: Runtime) -> dict[str, Any]:
        return await seal_meeting(runtime, await _meeting_district(meeting_id), meeting_id, cli_actor())

    result = run_db(go)
    if as_json:
        echo_json({k: v for k, v in result.items() if k != "tally"})
        return
    counts = result["counts"]
    click.echo(
        f"已封存：网上表决票 {counts['ballots']} 张，纸质表决票 {counts['paper']} 张。"
        f"\n哈希根：{result['root']}"
    )


@voting.command("tally")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--json", "as_json", is_flag=True)
def tally(meeting_id: str, as_json: bool) -> None:
    """The result, from the sealed record only, by area and by headcount."""
    from plugins.voting.services.seal import tally_of

    result = run_db(lambda _runtime: tally_of(meeting_id))
    if as_json:
        echo_json(
            {
                "meeting": result["meeting"],
                "profile": result["profile"],
                "counted": result["counted"],
                "motions": result["motions"],
            }
        )
        return
    click.echo(f"{result['title']}（{result['profile_name']}）")
    for m in result["motions"]:
        outcome = "通过" if m["passed"] else "未通过"
        click.echo(f"第 {m['motion']} 项 {m['title']}：{outcome}。{m['reason']}")


@voting.command("export")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--full",
    is_flag=True,
    help="连同不公开的完整记录（房号、姓名、表决票编号、录入人）一并导出；会记入审计日志",
)
@click.option("--snapshot", is_flag=True, help="导出最近一次公示时的公示快照（表决进行中，不含计票结果）")
def export(meeting_id: str, out: Path, full: bool, snapshot: bool) -> None:
    """Write the sealed record, the seal and the tally as one zip (check it with ``wuye verify``);
    ``--full`` adds the private record (docs/protocol.md §10), audited; ``--snapshot`` writes the
    board at its latest signed head instead (§12)."""
    from plugins.voting.services.heads import snapshot_bundle
    from plugins.voting.services.seal import export_bundle, full_record

    if full and snapshot:
        raise CLIError("--full 与 --snapshot 不能同时使用")

    async def go(runtime: Runtime) -> bytes:
        if snapshot:
            return await snapshot_bundle(runtime, meeting_id)
        if full:
            return await full_record(runtime, await _meeting_district(meeting_id), meeting_id, cli_actor())
        return await export_bundle(runtime, meeting_id)

    write_output(out, run_db(go))
    click.echo(f"已导出{'公示快照' if snapshot else '完整表决记录包' if full else '公开表决记录包'}：{out}")


@voting.command("head")
@click.option("--meeting", "-m", "meeting_id", required=True)
@click.option("--json", "as_json", is_flag=True)
def head(meeting_id: str, as_json: bool) -> None:
    """Sign the board's head now (docs/protocol.md §12): the public record's digests as they stand,
    under the meeting key; audited. Voting must be open (or closed and not yet sealed)."""
    from plugins.voting.services.heads import sign_head

    async def go(runtime: Runtime) -> Any:
        return await sign_head(
            runtime, await _meeting_district(meeting_id), meeting_id, cli_actor(), trigger="cli"
        )

    result = run_db(go)
    if as_json:
        echo_json(result)
        return
    signed = result["head"]
    click.echo(f"已签署公示：截至 {signed['at']}，网上表决票 {signed['counts']['ballots']} 张。")


#: The fingerprints the meeting notice prints (templates/notice.docx), as a reader finds them there.
NOTICE_CODES = {
    "meeting_key": "会议密钥核验码",
    "register_digest": "业主名册核验码",
}
#: what the count's minutes call a scrutineer's key fingerprint (docs/protocol.md §8.2)
SCRUTINEER_KEY_CODE = "监票人密钥指纹"


def notice_pins(path: Path) -> dict[str, str]:
    """The 核验码 printed on a meeting notice (.docx): ``{"meeting_key": …, "register_digest": …}``."""
    import re

    from docx import Document

    from plugins.voting.protocol.verifier import BundleError

    try:
        document = Document(str(path))
    except Exception as exc:  # not a Word file at all: the user's input, said as such
        raise CLIError(message("bundle_unreadable", detail=f"{path.name}: {type(exc).__name__}")) from None
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    found = {}
    for key, words in NOTICE_CODES.items():
        match = re.search(words + r"[：:]\s*((?:[0-9a-fA-F]{4}[\s\u00a0]*){4,16})", text)
        if not match:
            raise CLIError(BundleError("pin_notice_missing", what=words).message)
        found[key] = match.group(1)
    return found


@click.command("verify")
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("newer", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--since",
    "since",
    is_flag=True,
    help="比对两个记录包：wuye verify --since 旧.zip 新.zip，证明新记录只在旧记录之后增加、没有删改",
)
@click.option("--json", "as_json", is_flag=True)
@click.option("--workers", type=int, default=None, help="验证签名的进程数（默认为 CPU 核数，最多 2）")
@click.option("--meeting-key", default="", help="会议公告所印的会议密钥核验码（或完整公钥）")
@click.option("--register-digest", default="", help="会议公告所印的业主名册核验码（或完整摘要）")
@click.option(
    "--scrutineer-key",
    "scrutineer_keys",
    multiple=True,
    help="计票记录所载的监票人密钥指纹（每名监票人一次；给出时记录中的监票人密钥须恰为这些）",
)
@click.option(
    "--notice",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="会议公告（.docx）：从中读取两个核验码",
)
def verify(
    bundle: Path,
    newer: Path | None,
    since: bool,
    as_json: bool,
    workers: int | None,
    meeting_key: str,
    register_digest: str,
    scrutineer_keys: tuple[str, ...],
    notice: Path | None,
) -> None:
    """Re-check an exported voting bundle: exit 0 when everything holds, 1 listing every discrepancy,
    2 when the bundle cannot be used. Needs no database. ``--meeting-key``/``--register-digest`` (or
    ``--notice``) pin the fingerprints printed on the meeting notice: a bundle re-signed under another
    key, or over another register, fails them. ``--since OLD NEW``: both verified, and NEW shown to
    keep everything OLD held (docs/protocol.md §12)."""
    from plugins.voting.protocol.verifier import BundleError, Pins, verify_bundle, verify_since

    if since != (newer is not None):
        raise CLIError(message("since_usage"))
    record: list[Any] = []
    try:
        pinned = {"meeting_key": meeting_key, "register_digest": register_digest}
        if notice is not None:
            pinned = {k: v or notice_pins(notice)[k] for k, v in pinned.items()}
        pins = Pins(
            **{k: Pins.normalise(v, NOTICE_CODES[k]) if v else "" for k, v in pinned.items()},
            scrutineer_keys=tuple(Pins.normalise(v, SCRUTINEER_KEY_CODE) for v in scrutineer_keys),
        )
        if newer is not None:
            diff = verify_since(bundle, newer, workers=workers, pins=pins)
        else:
            report = verify_bundle(bundle, workers=workers, keep=record, pins=pins)
    except BundleError as exc:
        raise CLIError(exc.message) from None
    if newer is not None:
        _echo_since(diff, as_json)
        exit_program(0 if diff.ok else 1)
    if as_json:
        echo_json(report.to_dict())
    else:
        checked = report.checked
        if report.rehearsal:  # said first: a rehearsal record must never be taken for a real one
            click.echo(message("verify_rehearsal"))
        click.echo(
            f"会议 {report.meeting}：核验表决人 {checked['voters']} 名、网上表决票 {checked['ballots']} 张"
            f"（签名 {checked['signatures']} 个）、纸质表决票 {checked['paper']} 张。"
            + (
                f"公示快照（截至 {report.at}，不是表决结果），公示摘要 {report.root}"
                if report.snapshot
                else f"哈希根 {report.root}"
            )
            + (f"；核对表决期间的公示 {checked['heads']} 次" if checked.get("heads") else "")
        )
        for item in report.discrepancies:
            click.echo(f"  ✗ [{item['code']}] {item['message']}")
        if report.ok:
            click.echo("全部核验通过。")
            if report.snapshot:
                click.echo("（公示快照：表决尚未结束，不计票。）")
            for m in (report.tally or {}).get("motions", []):
                click.echo(f"  第 {m['motion']} 项 {m['title']}：{'通过' if m['passed'] else '未通过'}")
        else:
            click.echo(f"发现 {len(report.discrepancies)} 处不一致。")
    exit_program(0 if report.ok else 1)  # the record in `record` is not freed object by object


def _echo_since(diff: Any, as_json: bool) -> None:
    if as_json:
        echo_json(diff.to_dict())
        return
    for name, side in (("旧", diff.old), ("新", diff.new)):
        kind = "公示快照" if side.snapshot else "封存记录"
        click.echo(f"{name}记录包：{kind}，截至 {side.at}，网上表决票 {side.checked.get('ballots')} 张")
    for item in diff.discrepancies:
        click.echo(f"  ✗ [{item['code']}] {item['message']}")
    if diff.ok:
        click.echo("两个记录包各自核验通过，新记录包完整保留了旧记录包的全部内容，只有新增。")
    else:
        click.echo(f"发现 {len(diff.discrepancies)} 处不一致。")
