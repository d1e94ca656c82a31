"""The fonts LibreOffice uses for official documents.

The templates name the fonts of GB/T 9704 (方正小标宋简体 titles, 仿宋 body, 宋体 page numbers). A Linux
server has none of them, and fontconfig's fallback for an unknown Chinese family is the first face of
the Noto CJK collection, the Japanese one (different glyph forms for 直, 骨, 角 …). The alias file
``core/documents/fontconfig/wuye-fonts.conf`` maps every such name to Noto Serif CJK SC (黑体 to Noto Sans CJK
SC) with ``lang=zh-cn``; :func:`fontconfig_env` points ``FONTCONFIG_FILE`` at a small wrapper that
includes the system configuration and then the aliases, so a conversion sees them without root and
without changing ``/etc``. Debian packages: ``fonts-noto-cjk`` and ``fonts-noto-cjk-extra``.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

ALIASES = Path(__file__).resolve().parent / "fontconfig" / "wuye-fonts.conf"
SYSTEM_CONF = Path("/etc/fonts/fonts.conf")
SERIF_FAMILY = "Noto Serif CJK SC"


def wrapper_conf(aliases: Path = ALIASES, system: Path | None = None) -> str:
    """A fonts.conf that includes the system configuration, then ``aliases`` (absolute paths)."""
    given = os.environ.get("FONTCONFIG_FILE")
    base = system or (Path(given) if given and Path(given).is_file() else SYSTEM_CONF)
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{escape(str(base))}</include>\n'
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
    conf.write_text(wrapper_conf(aliases), encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf)}
