"""Publications: content, versioned, checksummed, signed.

Staff run ``kiosk publish`` on the office PC; it writes a publication folder that any
static web server or shared folder can serve::

    DIR/LATEST                         the newest version's name (written last)
    DIR/<version>/manifest.json        every file's path, size and SHA-256
    DIR/<version>/manifest.sig         Ed25519 signature of manifest.json
    DIR/<version>/content/...          the YAML files

Each kiosk runs ``kiosk sync SOURCE``; it verifies everything and installs into
``<data_dir>/publications/<version>/``, builds the search index from the content there
(publications of older versions also held a prebuilt index: it is never used), then
switches the small ``current`` pointer file with one atomic rename, keeping the one
before as ``previous`` (``kiosk rollback``).

This module is what the rest of the kiosk needs at run time, and it is cheap: one small
file read. The heavy parts (publish, sync, signing) are in the submodules.
"""

from __future__ import annotations

import re
from pathlib import Path

PUBLICATIONS = "publications"
"""Folder of installed publications inside the data directory."""
CURRENT, PREVIOUS, HELD = "current", "previous", "rolled-back"
"""Pointer files in that folder: each holds one version name."""
VERSION_NAME = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")
"""``20261124T013800Z-<first 8 of the content version>``: names sort by build time."""


def publications_dir(data_dir: Path) -> Path:
    return Path(data_dir) / PUBLICATIONS


def read_pointer(path: Path) -> str | None:
    """The version name in a pointer file, or None when it is missing or not a name."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(128)
    except OSError:
        return None
    name = raw.decode("ascii", "replace").strip()
    return name if VERSION_NAME.match(name) else None


def installed_version(data_dir: Path) -> str | None:
    """The version name of the publication the kiosk answers from, or None.

    Cheap enough to call every few seconds: it reads one small file.
    """
    return read_pointer(publications_dir(data_dir) / CURRENT)


def installed_content(data_dir: Path) -> Path | None:
    """The content folder of the installed publication, or None when none is installed.

    The path is returned even if someone deleted the folder: a kiosk with a publication
    installed must fail visibly rather than fall back to the bundled sample rulebook.
    """
    version = installed_version(data_dir)
    if version is None:
        return None
    return publications_dir(data_dir) / version / "content"
