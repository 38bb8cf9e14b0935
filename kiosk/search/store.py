"""Open a built index, and tell whether its files are still as they were built."""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.filedb.structfile import BufferFile

IN_MEMORY_MAX_BYTES = 16 * 1024 * 1024
"""An index up to this size is read into memory when opened (see open_index). A national
rulebook's (20+ MB) is read from its files: in memory it cost a kiosk that much resident
memory, and its checksum at every start."""
LINE_CHUNK = 4096
"""Bytes looked at a time for the end of a line in an index file read from memory."""
SUMS_FOLDER = ".sums"
"""Beside the indexes: each one's file sizes and checksums, to find damage at start."""


def index_is_sound(path: Path) -> bool:
    """Whether the index at ``path`` opens and its files are as they were when it was built
    (or first found sound): none missing, none truncated or grown, and, for an index small
    enough to be read into memory, none with other bytes (CRC-32)."""
    recorded = _recorded_sums(path)
    try:
        if recorded is not None and recorded != _file_sums(path):
            return False
        ix = whoosh_index.open_dir(str(path))
        try:
            with ix.reader() as reader:
                reader.doc_count()
        finally:
            ix.close()
    except Exception:  # any damage (Whoosh raises many kinds) means: build it again
        return False
    if recorded is None:
        record_sums(path)
    return True


def _identity(path: Path) -> list[int]:
    """Tells this folder from an index built later under the same name."""
    complete = (path / "COMPLETE").stat()
    return [path.stat().st_ino, complete.st_ino, complete.st_mtime_ns]


def _file_sums(path: Path) -> dict[str, list]:
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.endswith("LOCK"))
    sizes = {p.name: p.stat().st_size for p in files}
    full = sum(sizes.values()) <= IN_MEMORY_MAX_BYTES
    return {p.name: [sizes[p.name], zlib.crc32(p.read_bytes()) if full else None] for p in files}


def _sums_path(path: Path) -> Path:
    return path.parent / SUMS_FOLDER / f"{path.name}.json"


def _recorded_sums(path: Path) -> dict[str, list] | None:
    try:
        recorded = json.loads(_sums_path(path).read_text(encoding="utf-8"))
        if recorded["identity"] != _identity(path):
            return None  # written for an index built earlier under this name
        return recorded["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_sums(path: Path) -> None:
    target = _sums_path(path)
    with contextlib.suppress(OSError):  # a read-only data folder: checked by opening only
        target.parent.mkdir(exist_ok=True)
        for old in target.parent.glob("*.json"):
            if not (path.parent / old.stem).is_dir():
                old.unlink(missing_ok=True)  # its index was pruned
        data = {"identity": _identity(path), "files": _file_sums(path)}
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, target)


def open_index(path: Path):
    """The opened Whoosh index at ``path`` (an engine-internal handle).

    An index up to IN_MEMORY_MAX_BYTES is read into memory: the running kiosk never
    reads its files again, so an index damaged, truncated or deleted on disk meanwhile
    takes no answer away (and a memory-mapped file that is truncated would end the
    process with SIGBUS). A larger one is read from its files as needed, not memory-mapped:
    Whoosh copies each part of a mapped segment into memory (a national rulebook's 40 MB)
    and a truncated mapping ends the process.
    """
    files = [  # Whoosh's own files (TOC, segments); the engine reads the others itself
        p
        for p in Path(path).iterdir()
        if p.name.startswith(("MAIN_", "_MAIN_")) and not p.name.endswith("LOCK")
    ]
    if sum(p.stat().st_size for p in files) > IN_MEMORY_MAX_BYTES:
        return FileStorage(str(path), supports_mmap=False).open_index()
    storage = _SharedRamStorage()
    for file in files:
        storage.files[file.name] = file.read_bytes()
    return storage.open_index()


class _SharedRamStorage(RamStorage):
    """Whoosh's RamStorage, reading each file without a copy of it.

    Whoosh's own wraps a file's bytes in a memoryview for its BufferFile, whose BytesIO
    copies it, and each part cut from a compound segment was a copy again: the sample's
    6 MB segment was held three times. Here every file and part reads the one bytes
    object through a view."""

    def open_file(self, name, **kwargs):
        if name not in self.files:
            raise NameError(name)
        return _ViewFile(self.files[name], name=name, **kwargs)


class _ViewFile(BufferFile):
    """Whoosh's BufferFile over a view of bytes held elsewhere, its parts views too."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = memoryview(buf)
        self.file = _View(self._buf)

    def subset(self, position, length, name=None):
        return _ViewFile(self._buf[position : position + length], name=name or self._name)


class _View:
    """A read-only file over a memoryview: what Whoosh reads through (read, readline,
    readinto, seek, tell, lines; pickle and array.fromfile use these), each read a copy
    of only what it reads. No ``fileno``: Whoosh then never maps it."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._at = 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._at + size
        data = self._view[self._at : end].tobytes()
        self._at += len(data)
        return data

    def readinto(self, buffer) -> int:
        target = memoryview(buffer).cast("B")
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else self._at + size
        limit = min(limit, len(self._view))
        at = self._at
        while at < limit:  # a few KB at a time: a line is short, the file is not
            chunk = self._view[at : min(at + LINE_CHUNK, limit)].tobytes()
            newline = chunk.find(b"\n")
            if newline >= 0:
                return self.read(at + newline + 1 - self._at)
            at += len(chunk)
        return self.read(limit - self._at)

    def __iter__(self):
        while line := self.readline():
            yield line

    def seek(self, position: int, whence: int = 0) -> int:
        base = (0, self._at, len(self._view))[whence]
        self._at = max(0, base + position)
        return self._at

    def tell(self) -> int:
        return self._at

    def close(self) -> None:
        pass


# ---- fast scoring -------------------------------------------------------------------------
