"""Files handed to a browser: Chinese names intact, personal documents not cached."""

from __future__ import annotations

from urllib.parse import unquote

from core.web.downloads import DOCX, download


def test_a_download_keeps_its_chinese_name_and_is_not_cached_unless_public():
    private = download(b"x", "表决结果公告-M1.docx", DOCX)
    disposition = private.headers["content-disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    assert unquote(disposition.split("''", 1)[1]) == "表决结果公告-M1.docx"
    assert private.headers["cache-control"] == "no-store" and private.media_type == DOCX
    public = download(b"x", "wuye-M1.zip", "application/zip", private=False)
    assert "cache-control" not in public.headers
