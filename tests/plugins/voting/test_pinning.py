"""Pinning (#18 point 6): the meeting notice prints the meeting key's and the register's 核验码; the
public page shows the same; ``wuye verify --meeting-key … --register-digest …`` (or ``--notice``)
refuses a bundle that verifies in itself but was re-signed under another key or over another register."""

from __future__ import annotations

import os

from core.signing import sign
from core.testing import wuye_command, wuye_env
from plugins.voting.cli import notice_pins
from plugins.voting.protocol.credentials import public_key_hex
from plugins.voting.protocol.record import seal_message, seal_root, seal_statement
from plugins.voting.protocol.verifier import Pins, verify_bundle
from plugins.voting.services.delivery import notice_document
from plugins.voting.services.seal import export_bundle, seal_meeting
from tests.plugins.voting.test_seal import rewrite


def rekeyed(bundle: bytes, seed: bytes) -> bytes:
    """What an operator holding the database could publish: the same record under a key of its own,
    its sections re-digested and the statement signed anew — a bundle that verifies in itself."""
    key = public_key_hex(seed)

    def change(record, seal):
        record["meeting"]["meeting_key"] = key
        statement = seal_statement(record)
        statement["protocol"] = seal["statement"]["protocol"]
        meeting = record["meeting"]["meeting"]
        seal.update(
            meeting_key=key,
            statement=statement,
            root=seal_root(meeting, statement),
            signature=sign(seed, seal_message(meeting, statement)).hex(),
        )

    return rewrite(bundle, change)


async def sealed(db, voted, tmp_path):
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    (tmp_path / "bundle.zip").write_bytes(await export_bundle(db, voted["id"]))
    notice = tmp_path / "notice.docx"
    notice.write_bytes(await notice_document(db, voted["estate"], voted["id"]))
    return tmp_path / "bundle.zip", notice


async def test_a_rekeyed_bundle_verifies_in_itself_but_not_against_the_notice(db, voted, tmp_path):
    bundle, notice = await sealed(db, voted, tmp_path)
    printed = notice_pins(notice)
    pins = Pins(
        meeting_key=Pins.normalise(printed["meeting_key"], "会议密钥核验码"),
        register_digest=Pins.normalise(printed["register_digest"], "业主名册核验码"),
    )
    assert len(pins.meeting_key) == len(pins.register_digest) == 16
    assert verify_bundle(bundle, workers=1, pins=pins).ok
    forged = tmp_path / "forged.zip"
    forged.write_bytes(rekeyed(bundle.read_bytes(), os.urandom(32)))
    assert verify_bundle(forged, workers=1).ok  # the attack pinning is for
    report = verify_bundle(forged, workers=1, pins=pins)
    assert [d["code"] for d in report.discrepancies] == ["pinned_key_mismatch"]
    assert "会议公告所印不符" in report.discrepancies[0]["message"]
    other_register = Pins(register_digest="0" * 16)
    codes = [d["code"] for d in verify_bundle(bundle, workers=1, pins=other_register).discrepancies]
    assert codes == ["pinned_register_mismatch"]


async def test_the_verify_command_takes_the_notice_or_the_codes(db, voted, tmp_path):
    bundle, notice = await sealed(db, voted, tmp_path)
    env = wuye_env(
        db.settings.database_url, list(db.settings.extra_plugins), WUYE_VAR_DIR=str(db.settings.var_dir)
    )
    assert "全部核验通过" in wuye_command("verify", str(bundle), "--notice", str(notice), env=env).stdout
    printed = notice_pins(notice)
    typed = wuye_command(
        "verify", str(bundle), "--meeting-key", printed["meeting_key"].upper(),
        "--register-digest", printed["register_digest"], env=env,
    )  # fmt: skip
    assert "全部核验通过" in typed.stdout
    forged = tmp_path / "forged.zip"
    forged.write_bytes(rekeyed(bundle.read_bytes(), os.urandom(32)))
    refused = wuye_command("verify", str(forged), "--notice", str(notice), env=env, check=False)
    assert refused.returncode == 1 and "pinned_key_mismatch" in refused.stdout
    short = wuye_command("verify", str(bundle), "--meeting-key", "3f2a", env=env, check=False)
    assert short.returncode == 2 and "至少需要 16 位" in short.stderr and "Traceback" not in short.stderr
    not_a_notice = tmp_path / "x.docx"
    not_a_notice.write_bytes(b"not a word file")
    bad = wuye_command("verify", str(bundle), "--notice", str(not_a_notice), env=env, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


async def test_the_public_page_shows_the_notices_fingerprints(db, client, voted, tmp_path):
    before = (await client.get(f"/verify/{voted['id']}")).text  # while voting is open already
    _, notice = await sealed(db, voted, tmp_path)
    printed = notice_pins(notice)
    page = (await client.get(f"/verify/{voted['id']}")).text
    assert 'id="key-code"' in before and 'id="register-code"' in page
    for code in printed.values():
        assert code.replace("\u00a0", " ").strip() in page.replace("\u00a0", " ")
