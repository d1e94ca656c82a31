"""The vendored front-end code is exactly the pinned release, with its licence beside it."""

from __future__ import annotations

import hashlib
import re

from core.settings import PROJECT_ROOT

VENDOR = PROJECT_ROOT / "plugins" / "voting" / "static" / "vendor"


def test_tweetnacl_is_the_pinned_file_with_its_licence() -> None:
    folder = VENDOR / "tweetnacl"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    pinned = re.search(r"`nacl-fast\.min\.js` sha256 `([0-9a-f]{64})`", readme)
    assert pinned, "README.md names the file's sha256"
    assert hashlib.sha256((folder / "nacl-fast.min.js").read_bytes()).hexdigest() == pinned.group(1)
    assert "public domain" in (folder / "LICENSE").read_text(encoding="utf-8")
    assert "tweetnacl@1.0.3" in readme


def test_the_ballot_page_loads_the_fallback_from_its_own_server() -> None:
    sign = (PROJECT_ROOT / "plugins" / "voting" / "static" / "sign.js").read_text(encoding="utf-8")
    assert '"/static/voting/vendor/tweetnacl/nacl-fast.min.js"' in sign
    assert "http" not in sign.split("NACL =", 1)[1].split(";", 1)[0]  # no CDN
