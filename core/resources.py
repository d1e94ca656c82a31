"""Files a package ships (templates, static assets), found through ``importlib.resources`` so they are
read from wherever the package is installed: a checkout, a wheel in site-packages, an editable install."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_folder(package: str | None, *parts: str) -> Path:
    """The folder ``parts`` inside ``package`` (e.g. ``package_folder(__package__, "templates")``).

    Raises ``FileNotFoundError`` when the package does not ship it: a wheel built without its
    templates must fail at start-up, not on the first document."""
    if not package:
        raise ValueError("package_folder needs the package name (pass __package__)")
    path = Path(str(files(package).joinpath(*parts)))
    if not path.is_dir():
        raise FileNotFoundError(f"{package} ships no folder {'/'.join(parts)} (looked in {path})")
    return path
