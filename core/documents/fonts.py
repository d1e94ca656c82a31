"""The fonts LibreOffice uses for official documents.

The templates name the fonts of GB/T 9704 (方正小标宋简体 titles, 仿宋 body, 宋体 page numbers). A Linux
server has none of them, and fontconfig's fallback for an unknown Chinese family is the first face of
the Noto CJK collection, the Japanese one (different glyph forms for 直, 骨, 角 …). The alias file
``core/documents/fontconfig/wuye-fonts.conf`` maps every such name to Noto Serif SC (黑体 to Noto
Sans SC), the Simplified Chinese faces taken out of the Noto CJK collections as fonts of their own
(:func:`regional_fonts`), falling back to the SC face of the collection, with ``lang=zh-cn``;
:func:`fontconfig_env` points ``FONTCONFIG_FILE`` at a small wrapper that includes the system
configuration, the extracted faces and then the aliases, so a conversion sees them without root and
without changing ``/etc``. Debian packages: ``fonts-noto-cjk`` and ``fonts-noto-cjk-extra``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from xml.sax.saxutils import escape

ALIASES = Path(__file__).resolve().parent / "fontconfig" / "wuye-fonts.conf"
SYSTEM_CONF = Path("/etc/fonts/fonts.conf")
SERIF_FAMILY = "Noto Serif SC"
#: Where Debian puts the Noto CJK collections (fonts-noto-cjk, fonts-noto-cjk-extra).
NOTO_DIRS = (Path("/usr/share/fonts/opentype/noto"),)
#: The collections whose Simplified Chinese face documents use; each becomes a font of its own.
COLLECTIONS = (
    "NotoSerifCJK-Regular.ttc",
    "NotoSerifCJK-SemiBold.ttc",
    "NotoSerifCJK-Bold.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJK-Bold.ttc",
)
#: Bumped when the extracted files change, so that an old cache is not used.
CACHE_VERSION = "fonts-v1"
log = logging.getLogger(__name__)


def font_cache() -> Path:
    """Where the extracted faces are kept: ``WUYE_FONT_CACHE``, else the user's cache folder."""
    given = os.environ.get("WUYE_FONT_CACHE")
    base = Path(given) if given else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wuye"
    return base / CACHE_VERSION


def _sc_face(collection: Path, target: Path) -> None:
    """Write the Simplified Chinese face of a Noto CJK collection to ``target`` as a font of its own:
    family ``Noto Serif SC`` / ``Noto Sans SC`` (the names of Google's regional fonts, which Debian does
    not ship), and the CFF's internal names (shared by every face of the collection and spelled with
    the Japanese face's name) changed from ``…CJKjp`` to ``…CJKsc``, byte for byte of equal length.

    Why: LibreOffice opens the first face of a collection whatever face fontconfig chose, so a PDF
    named the font ``NotoSerifCJKjp`` and drew the Japanese default glyphs wherever a run was not
    tagged zh-CN. A face of its own has the SC glyph mapping by default and its own name."""
    from fontTools.ttLib import TTCollection
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    faces = TTCollection(str(collection), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    face = next(f for f in faces.fonts if "CJKsc" in (f["name"].getDebugName(6) or ""))
    cff = DefaultTable("CFF ")
    raw = face.reader["CFF "]
    for old, new in ((b"CJKjp", b"CJKsc"), (b"CJK JP", b"CJK SC")):
        raw = raw.replace(old, new)
    cff.data = raw
    face["CFF "] = cff
    for record in face["name"].names:
        text = record.toUnicode()
        renamed = text.replace("Noto Serif CJK SC", "Noto Serif SC").replace(
            "Noto Sans CJK SC", "Noto Sans SC"
        )
        if renamed != text:
            record.string = renamed
    partial = target.with_suffix(f".{os.getpid()}.part")
    face.save(str(partial))
    os.replace(partial, target)  # workers extracting at once: the last complete file wins


def regional_fonts(cache: Path | None = None) -> Path | None:
    """The folder holding the SC faces as fonts of their own (made once, kept in :func:`font_cache`),
    or None when the collections or fontTools are missing (the aliases then fall back to the SC face
    of the collection, with zh-CN-tagged text still drawn in SC forms)."""
    cache = cache or font_cache()
    made = 0
    for name in COLLECTIONS:
        target = cache / name.replace("CJK", "SC").replace(".ttc", ".otf")
        if target.is_file():
            made += 1
            continue
        source = next((d / name for d in NOTO_DIRS if (d / name).is_file()), None)
        if source is None:
            continue
        try:
            cache.mkdir(parents=True, exist_ok=True)
            _sc_face(source, target)
            made += 1
        except Exception as exc:
            log.warning("could not extract the SC face of %s: %s", source, exc)
    return cache if made else None


def wrapper_conf(aliases: Path = ALIASES, system: Path | None = None, fonts: Path | None = None) -> str:
    """A fonts.conf that includes the system configuration, the extracted SC faces (``fonts``), then
    ``aliases`` (absolute paths)."""
    given = os.environ.get("FONTCONFIG_FILE")
    base = system or (Path(given) if given and Path(given).is_file() else SYSTEM_CONF)
    extra = ""
    if fonts is not None:
        extra = (
            f"  <dir>{escape(str(fonts))}</dir>\n  <cachedir>{escape(str(fonts / 'fc-cache'))}</cachedir>\n"
        )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{escape(str(base))}</include>\n'
        f"{extra}"
        f"  <include>{escape(str(aliases.resolve()))}</include>\n</fontconfig>\n"
    )


def fontconfig_env(workdir: Path, aliases: Path = ALIASES) -> dict[str, str]:
    """Environment variables that make a child process (soffice, fc-match) use the aliases: the
    wrapper is written into ``workdir``. Empty when the alias file is missing (an installed package
    without the config folder converts with the system fonts as before)."""
    if not aliases.is_file():
        return {}
    workdir.mkdir(parents=True, exist_ok=True)
    conf = workdir / "fonts.conf"
    conf.write_text(wrapper_conf(aliases, fonts=regional_fonts()), encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf)}
