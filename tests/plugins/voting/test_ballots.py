"""Ballot sheets: credentials issued at printing (public keys only stored), reprints revoke, the QR
code on the printed page decodes to a URL carrying the credential only in its fragment."""

from __future__ import annotations

import io
import logging
import re
import subprocess
from urllib.parse import urlsplit

import pytest
from docx import Document

from core.data.tables import AuditEntry
from core.documents.render import docx_to_pdf
from core.errors import WuyeError
from core.testing import require_tool
from plugins.voting.protocol.credentials import code_to_seed, fragment_to_seed, public_key_hex
from plugins.voting.services.ballots import print_ballots
from plugins.voting.services.meetings import create_meeting, parse_meeting_file, publish_meeting
from plugins.voting.services.register import import_register
from plugins.voting.tables import VotingCredential
from tests.plugins.voting.conftest import encode, meeting_file, register_csv


@pytest.fixture
async def published(db, estate):
    await import_register(estate, "E1", register_csv(), "r.csv", "officer")
    meeting = await create_meeting(db, estate, "E1", parse_meeting_file(encode(meeting_file())), "officer")
    await publish_meeting(db, estate, meeting["meeting"], "officer")
    return meeting["meeting"]


def secret_forms(issued) -> list[str]:
    forms = []
    for credential in issued:
        seed = fragment_to_seed(urlsplit(credential.url).fragment.removeprefix("k="))
        forms += [
            seed.hex(),
            urlsplit(credential.url).fragment[2:],
            credential.code,
            credential.code.replace("-", ""),
        ]
    return forms


async def database_text(db) -> str:
    from core.data.db import table_classes

    chunks = []
    for table in table_classes(db.app_modules):
        chunks.append(str(await table.select()))
    return "\n".join(chunks)


async def test_printing_issues_one_credential_per_voter_and_stores_only_public_keys(
    db, estate, published, caplog
):
    caplog.set_level(logging.DEBUG)
    result = await print_ballots(db, estate, published, "officer", workers=1)
    assert len(result.issued) == 4 and result.revoked == 0
    rows = await VotingCredential.select().order_by(VotingCredential.voter_no)
    assert [r["voter_no"] for r in rows] == [1, 2, 3, 4]
    for credential, row in zip(result.issued, rows, strict=True):
        seed = code_to_seed(credential.code)
        assert fragment_to_seed(urlsplit(credential.url).fragment.removeprefix("k=")) == seed
        assert row["public_key"] == public_key_hex(seed)
    everything = await database_text(db) + "\n" + caplog.text
    for secret in secret_forms(result.issued):
        assert secret not in everything
    # the document: a page per voter with serial, name, units, the typed code and a QR image each
    document = Document(io.BytesIO(result.docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert len(document.inline_shapes) == 4
    for credential in result.issued:
        assert credential.serial in text and credential.code in text
    assert "续聘示范物业管理有限公司" in "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert await AuditEntry.count().where(AuditEntry.action == "voting.ballots_print") == 1


async def test_a_second_full_print_is_refused_and_a_reprint_revokes(db, estate, published):
    first = await print_ballots(db, estate, published, "officer", workers=1)
    with pytest.raises(WuyeError) as info:
        await print_ballots(db, estate, published, "officer", workers=1)
    assert info.value.code == "voting_ballots_exist"
    again = await print_ballots(db, estate, published, "officer", voter_nos=[2], workers=1)
    assert [c.voter_no for c in again.issued] == [2] and again.revoked == 1
    assert again.issued[0].version == 2
    rows = (
        await VotingCredential.select()
        .where(VotingCredential.voter_no == 2)
        .order_by(VotingCredential.version)
    )
    assert rows[0]["revoked_at"] is not None and rows[0]["revoked_reason"]
    assert rows[0]["public_key"] == public_key_hex(code_to_seed(first.issued[1].code))
    assert rows[1]["revoked_at"] is None
    assert rows[1]["public_key"] == public_key_hex(code_to_seed(again.issued[0].code))
    entry = await AuditEntry.select().where(AuditEntry.action == "voting.ballots_reprint").first()
    assert '"revoked_voters":[2]' in entry["details"]
    everyone = await print_ballots(db, estate, published, "officer", reprint_all=True, workers=1)
    assert everyone.revoked == 4
    assert await VotingCredential.count().where(VotingCredential.revoked_at.is_null()) == 4
    with pytest.raises(WuyeError) as unknown:
        await print_ballots(db, estate, published, "officer", voter_nos=[99], workers=1)
    assert unknown.value.code == "voting_voter_not_found"


async def test_drafts_cannot_be_printed(db, estate):
    meeting = await create_meeting(db, estate, "E1", parse_meeting_file(encode(meeting_file())), "officer")
    with pytest.raises(WuyeError) as info:
        await print_ballots(db, estate, meeting["meeting"], "officer", workers=1)
    assert info.value.code == "voting_ballots_not_published"


async def test_the_qr_code_on_the_printed_page_decodes_to_the_ballot_url(db, estate, published, tmp_path):
    require_tool("soffice", "libreoffice")
    pdftoppm = require_tool("pdftoppm")
    zbarimg = require_tool("zbarimg")
    result = await print_ballots(db, estate, published, "officer", workers=2)
    pdf = docx_to_pdf(result.docx, tmp_path)
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+4\b", pages), pages  # a page per voter
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")], check=True
    )
    decoded = []
    for image in sorted(tmp_path.glob("page*.png")):
        out = subprocess.run([zbarimg, "--quiet", "--raw", str(image)], capture_output=True, text=True)
        decoded += out.stdout.split()
    assert decoded == [result.issued[0].url, result.issued[1].url]
    parts = urlsplit(decoded[0])
    assert parts.path == f"/v/{published}" and parts.query == ""
    assert parts.fragment.startswith("k=")  # the credential is only in the fragment
    assert (
        public_key_hex(fragment_to_seed(parts.fragment[2:]))
        == (await VotingCredential.select().where(VotingCredential.voter_no == 1).first())["public_key"]
    )
