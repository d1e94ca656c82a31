"""A bad photograph keeps nothing: an empty file, one over the limit, a name with NUL or a control
character, a file that is no JPEG or PNG (a damaged one among them), a caption with NUL — through the
API's upload and the console's photo form — is refused in Chinese (4xx) and leaves the database as it
was, row by row, and no file on disk; an odd name is kept under a name that names no place."""

from __future__ import annotations

import random

from core.testing_mutations import (
    ODD_NAMES,
    assert_page_refused,
    assert_refused,
    assert_unchanged,
    bad_uploads,
    database_rows,
    files_under,
    multipart,
    mutate,
)
from plugins.group_rental.services.common import MAX_PHOTO_BYTES
from plugins.group_rental.tables import GroupRentalPhoto
from tests.plugins.group_rental.conftest import image
from tests.plugins.group_rental.test_cases import BASE, officer, open_and_determine

PHOTO = image("JPEG")
CODES = ("group_rental_", "upload_", "payload_", "control_characters")
#: what a refused console form writes: the audited read of the case page it shows again
READS = ("group_rental.view_case",)

BAD = {
    **bad_uploads(PHOTO, MAX_PHOTO_BYTES),
    "svg": ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "image/png"),
    "html-as-jpeg": ("x.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
    "gif": ("x.gif", b"GIF89a" + PHOTO[6:], "image/gif"),
    "pdf": ("x.pdf", b"%PDF-1.4", "application/pdf"),
}


async def _api(client, headers, case: str, upload, fields=None):
    body, content_type = multipart(fields or {}, [("data", *upload)])
    return await client.post(
        f"{BASE}/cases/{case}/photos", content=body, headers={**headers, "content-type": content_type}
    )


async def _form(client, headers, case: str, upload, fields=None):
    body, content_type = multipart(
        {"csrf_token": headers["x-csrf-token"], **(fields or {})}, [("photos", *upload)]
    )
    return await client.post(
        f"{BASE}/cases/{case}/console/photos",
        content=body,
        headers={"content-type": content_type, "accept": "text/html"},
    )


async def _refused_and_nothing_kept(db, send, *args, where) -> None:
    before, disk = await database_rows(db), files_under(db.settings.var_dir)
    response = await send(*args)
    assert response.status_code < 500, (where, response.text[:500])
    if send is _api:
        assert_refused(response, CODES)
    else:
        assert_page_refused(response)
    assert_unchanged(before, await database_rows(db), reads=READS, where=where)
    assert files_under(db.settings.var_dir) == disk, where


async def test_bad_photos_are_refused_and_keep_nothing(db, client, district, staff_factory):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    for name, upload in BAD.items():
        for send in (_api, _form):
            await _refused_and_nothing_kept(
                db, send, client, headers, case, upload, where=(name, send.__name__)
            )
    for send in (_api, _form):  # a caption the form fields' check would refuse, sent in a multipart body
        upload = ("a.jpg", PHOTO, "image/jpeg")
        fields = {"caption": "现场\x00照片"}
        await _refused_and_nothing_kept(db, send, client, headers, case, upload, fields, where=send.__name__)
    # and a good photograph with its caption, in the same hand-written body (its boundary in mixed case,
    # as browsers write it), is kept by both
    assert (
        await _api(client, headers, case, ("a.jpg", PHOTO, "image/jpeg"), {"caption": "现场"})
    ).status_code == 201
    form = await _form(client, headers, case, ("b.png", image("PNG"), "image/png"), {"caption": "现场"})
    assert form.status_code == 303, form.text[:500]


async def test_mutated_photos_are_kept_byte_for_byte_or_refused(db, client, district, staff_factory):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    rng = random.Random(20261203)
    for n in range(12):
        content = mutate(PHOTO, rng)
        send = (_api, _form)[n % 2]
        before, disk = await database_rows(db), files_under(db.settings.var_dir)
        response = await send(client, headers, case, (f"{n}.jpg", content, "image/jpeg"))
        assert response.status_code < 500, response.text[:500]
        assert files_under(db.settings.var_dir) == disk
        if response.status_code >= 400:
            assert_unchanged(before, await database_rows(db), reads=READS, where=n)
            continue
        kept = await GroupRentalPhoto.select().order_by(GroupRentalPhoto.id, ascending=False).first()
        assert kept is not None and bytes(kept["content"]) == content  # typed by its first bytes


async def test_a_photo_under_an_odd_name_is_kept_under_a_harmless_one(db, client, district, staff_factory):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    for n, (name, media_type) in enumerate(ODD_NAMES.values()):
        content = image("PNG", ("red", "blue", "green", "white", "black", "yellow")[n % 6])
        for send in (_api, _form):
            disk = files_under(db.settings.var_dir)
            response = await send(
                client, headers, case, (name, content + bytes([n, send is _api]), media_type)
            )
            assert response.status_code < 500, (name, response.text[:500])
            assert files_under(db.settings.var_dir) == disk
            if response.status_code < 400:
                kept = await GroupRentalPhoto.select().order_by(GroupRentalPhoto.id, ascending=False).first()
                assert kept is not None and len(kept["filename"]) <= 255
