"""The manifest of a publication: what it holds, each file's size and SHA-256.

The manifest is the one thing a signature covers (its exact bytes), so everything a kiosk
trusts follows from it: a file that is not listed, or does not match its entry, is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kiosk.errors import KioskError
from kiosk.publication import VERSION_NAME

FORMAT = 1
LATEST, MANIFEST, SIGNATURE = "LATEST", "manifest.json", "manifest.sig"
TOP_FOLDERS = ("content", "index")
"""Every listed file is below one of these."""

# Caps: a damaged or hostile source cannot fill the kiosk's disk or memory.
MAX_POINTER_BYTES = 128
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_SIGNATURE_BYTES = 1024
MAX_FILES = 20_000
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class PublicationError(KioskError):
    """A publication that must not be installed (damaged, tampered, unsigned, ...)."""


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    version: str
    content_version: str
    built: str
    tool_version: str
    index_key: str
    files: tuple[FileEntry, ...]
    format: int = FORMAT

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def to_bytes(self) -> bytes:
        data = {
            "format": self.format,
            "version": self.version,
            "content_version": self.content_version,
            "built": self.built,
            "tool_version": self.tool_version,
            "index_key": self.index_key,
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
        }
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes, where: str) -> Manifest:
        """Parse and validate; any problem is a PublicationError naming ``where``."""

        def bad(why: str) -> PublicationError:
            return PublicationError(f"{where}: {why}; not installed")

        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise bad("not a readable manifest (damaged or truncated)") from None
        if not isinstance(data, dict):
            raise bad("not a manifest")
        if data.get("format") != FORMAT:
            raise bad(f"manifest format {data.get('format')!r}, this kiosk reads {FORMAT}")
        text = {}
        for key in ("version", "content_version", "built", "tool_version", "index_key"):
            value = data.get(key)
            if not isinstance(value, str) or not value:
                raise bad(f"'{key}' missing")
            text[key] = value
        if not VERSION_NAME.match(text["version"]):
            raise bad(f"{text['version']!r} is not a version name")
        if not _KEY.match(text["index_key"]):
            raise bad(f"index key {text['index_key']!r} is not a plain name")
        files = data.get("files")
        if not isinstance(files, list) or not files:
            raise bad("no files listed")
        if len(files) > MAX_FILES:
            raise bad(f"{len(files)} files listed, more than {MAX_FILES}")
        entries = []
        for item in files:
            if not isinstance(item, dict):
                raise bad("a file entry is not an object")
            path, size, digest = item.get("path"), item.get("size"), item.get("sha256")
            if not isinstance(path, str):
                raise bad("a file entry has no path")
            if why := unsafe_path(path, text["index_key"]):
                raise bad(f"file {path!r}: {why}")
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise bad(f"file {path!r}: bad size")
            if size > MAX_FILE_BYTES:
                raise bad(f"file {path!r}: {size} bytes, more than {MAX_FILE_BYTES}")
            if not isinstance(digest, str) or not _SHA256.match(digest):
                raise bad(f"file {path!r}: bad sha256")
            entries.append(FileEntry(path, size, digest))
        paths = [e.path for e in entries]
        if len(set(paths)) != len(paths):
            raise bad("a file is listed twice")
        folders = {str(parent) for p in paths for parent in PurePosixPath(p).parents}
        if clash := folders & set(paths):
            raise bad(f"{sorted(clash)[0]!r} is listed as a file and used as a folder")
        manifest = cls(files=tuple(entries), **text)
        if manifest.total_bytes > MAX_TOTAL_BYTES:
            raise bad(f"{manifest.total_bytes} bytes in all, more than {MAX_TOTAL_BYTES}")
        if not any(p.startswith("content/") for p in paths):
            raise bad("no content files listed")
        return manifest


def unsafe_path(path: str, index_key: str) -> str | None:
    """Why a listed path must not be written, or None when it is safe.

    Only relative POSIX paths below ``content/`` or ``index/<index_key>/``: nothing
    absolute, no '..', no backslashes or control characters that another system (or a
    web server) might read differently.
    """
    if not path or len(path) > 512:
        return "empty or too long path"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "absolute path"
    if "\\" in path or any(ord(c) < 32 or ord(c) == 127 for c in path):
        return "backslash or control character in path"
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "'..', '.' or an empty part in path"
    if parts[0] not in TOP_FOLDERS or len(parts) < 2:
        return f"not below {' or '.join(TOP_FOLDERS)}/"
    if parts[0] == "index" and (parts[1] != index_key or len(parts) < 3):
        return f"not below index/{index_key}/"
    return None


def file_entry(root: Path, path: Path) -> FileEntry:
    """The manifest entry of one file below ``root``."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 16):
            digest.update(chunk)
            size += len(chunk)
    return FileEntry(path.relative_to(root).as_posix(), size, digest.hexdigest())
