"""`kiosk sync` and `kiosk rollback`: install a publication safely, or go back one.

Nothing a kiosk answers from changes until a new publication is complete and verified:
every file is downloaded into a fresh hidden folder under ``<data_dir>/publications/``,
checked against the manifest (size, SHA-256, nothing missing, nothing extra, no path that
could escape the folder) and the manifest against its Ed25519 signature and the kiosk's
``publication_key`` (a kiosk without a key refuses every publication unless its kiosk.yaml
says ``allow_unsigned: true``). Only then is the folder renamed to its version name, its
index built here, and the ``current`` pointer replaced with one atomic rename.

The search index is always built on the kiosk from the content it parsed itself: a Whoosh
index holds Python pickles, and unpickling a file from outside would run whatever code
it names. An ``index/`` folder in an older publication is listed but never downloaded.
The publication before stays as ``previous`` for ``kiosk rollback``; older ones are
removed. A refused publication leaves the kiosk exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.files import discard, write_atomically
from kiosk.publication import (
    CURRENT,
    HELD,
    PREVIOUS,
    VERSION_NAME,
    publications_dir,
    read_pointer,
)
from kiosk.publication.manifest import (
    LATEST,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MAX_POINTER_BYTES,
    MAX_SIGNATURE_BYTES,
    SIGNATURE,
    FileEntry,
    Manifest,
    PublicationError,
)
from kiosk.publication.source import deadline, open_source

LOCK = ".lock"


@dataclass(frozen=True)
class SyncResult:
    """What a sync did. ``status``: installed, up_to_date or held (rolled back here)."""

    status: str
    version: str
    previous: str | None = None
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    index: str = ""
    """built (here, from the content) or kept (this content's index was here already)."""
    signed: bool = False
    """The signature was checked against the kiosk's publication_key."""


@dataclass(frozen=True)
class RollbackResult:
    left: str
    now: str


@contextlib.contextmanager
def _locked(pubs: Path) -> Iterator[None]:
    """One sync or rollback at a time (the timer and a person at the console)."""
    try:
        pubs.mkdir(parents=True, exist_ok=True)
        fd = os.open(pubs / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise KioskError(f"{pubs}: cannot write: {exc.strerror}") from exc
    try:
        try:
            import fcntl
        except ImportError:  # not on Linux: no lock
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise KioskError(
                f"{pubs}: another 'kiosk sync' or 'kiosk rollback' is running; try again later"
            ) from None
        yield
    finally:
        os.close(fd)


def sync(
    source: str,
    data_dir: Path,
    *,
    public_key: Path | None = None,
    allow_unsigned: bool = False,
    force: bool = False,
) -> SyncResult:
    """Install the newest publication of ``source`` into ``data_dir``.

    Raises PublicationError (a damaged, tampered, unsigned or older publication) or
    KioskError (source unreachable, disk not writable); the kiosk is unchanged then.
    ``force`` also installs a publication that was rolled back here, or an older one.
    Without ``public_key`` nothing is installed unless ``allow_unsigned``.
    """
    started = time.perf_counter()
    from kiosk.publication import signing

    if public_key is None and not allow_unsigned:
        raise PublicationError(
            f"{source}: not installed: this kiosk has no publication_key to tell who made "
            "the publication (set publication_key in kiosk.yaml, or allow_unsigned: true "
            "to accept the risk)"
        )
    key = signing.load_public_key(public_key) if public_key else None
    src = open_source(source)
    pubs = publications_dir(data_dir)
    with deadline(source), _locked(pubs):
        raw = src.read_small(LATEST, MAX_POINTER_BYTES)
        if raw is None:
            raise KioskError(f"{src.describe(LATEST)}: not found (not a publication folder?)")
        version = raw.decode("ascii", "replace").strip()
        if not VERSION_NAME.match(version):
            raise PublicationError(f"{src.describe(LATEST)}: does not name a publication")
        current = read_pointer(pubs / CURRENT)
        if version == current and (pubs / current / MANIFEST).is_file():
            return SyncResult("up_to_date", version, read_pointer(pubs / PREVIOUS))
        if version == read_pointer(pubs / HELD) and not force:
            return SyncResult("held", version, current)
        if current and version < current and not force:
            raise PublicationError(
                f"{src.describe(LATEST)}: names {version}, older than the installed {current}; "
                "not installed ('kiosk sync --force' installs it anyway)"
            )

        manifest_rel = f"{version}/{MANIFEST}"
        manifest_raw = src.read_small(manifest_rel, MAX_MANIFEST_BYTES)
        if manifest_raw is None:
            raise PublicationError(
                f"{src.describe(manifest_rel)}: missing (a partial publication); not installed"
            )
        signature = src.read_small(f"{version}/{SIGNATURE}", MAX_SIGNATURE_BYTES)
        if key is not None:
            where = src.describe(f"{version}/{SIGNATURE}")
            if signature is None:
                raise PublicationError(
                    f"{where}: missing: this kiosk installs only signed publications "
                    f"(publication_key {public_key}); not installed"
                )
            signing.verify(key, manifest_raw, signature, where)
        manifest = Manifest.from_bytes(manifest_raw, src.describe(manifest_rel))
        if manifest.version != version:
            raise PublicationError(
                f"{src.describe(manifest_rel)}: is the manifest of {manifest.version}, "
                f"not of {version}; not installed"
            )
        listing = src.listing(version)
        if listing is not None:
            expected = {f.path for f in manifest.files} | {MANIFEST, SIGNATURE}
            if extra := sorted(listing - expected):
                raise PublicationError(
                    f"{src.describe(f'{version}/{extra[0]}')}: not in the manifest "
                    "(an extra file); not installed"
                )

        try:
            tmp = Path(tempfile.mkdtemp(prefix=".incoming-", dir=pubs))
        except OSError as exc:
            raise KioskError(f"{pubs}: cannot write: {exc.strerror}") from exc
        final = pubs / version
        renamed = False
        try:
            for entry in _content_files(manifest):
                dest = tmp.joinpath(*entry.path.split("/"))
                dest.parent.mkdir(parents=True, exist_ok=True)
                src.fetch(entry, version, dest)
            (tmp / MANIFEST).write_bytes(manifest_raw)
            if signature is not None:
                (tmp / SIGNATURE).write_bytes(signature)
            os.chmod(tmp, 0o755)
            if final.exists():  # a leftover of a sync that failed, or a pruned-to-be copy
                discard(final)
            os.rename(tmp, final)
            renamed = True
            index = _prepare(final, manifest, data_dir)
        except BaseException as exc:
            discard(tmp)
            if renamed:
                discard(final)
            if isinstance(exc, OSError):
                raise KioskError(f"{pubs}: cannot install {version}: {exc.strerror}") from exc
            raise

        # The switch: 'previous' first, so a crash in between loses nothing.
        try:
            if current and current != version:
                write_atomically(pubs / PREVIOUS, f"{current}\n".encode())
            write_atomically(pubs / CURRENT, f"{version}\n".encode())
        except OSError as exc:
            raise KioskError(f"{pubs}: cannot switch to {version}: {exc.strerror}") from exc
        if read_pointer(pubs / HELD) == version:
            with contextlib.suppress(OSError):
                (pubs / HELD).unlink()
        _prune(pubs)
        return SyncResult(
            "installed",
            version,
            read_pointer(pubs / PREVIOUS) if current else None,
            files=len(_content_files(manifest)),
            bytes=sum(f.size for f in _content_files(manifest)),
            seconds=time.perf_counter() - started,
            index=index,
            signed=key is not None,
        )


def _content_files(manifest: Manifest) -> tuple[FileEntry, ...]:
    """The files a kiosk downloads: the content only, never a prebuilt index."""
    return tuple(f for f in manifest.files if f.path.startswith("content/"))


def _prepare(folder: Path, manifest: Manifest | None, data_dir: Path) -> str:
    """Make the publication in ``folder`` ready to answer from: its rulebook loads without
    errors, and its index is built here from that rulebook (never taken from the
    publication: see the module's docstring), so neither the kiosk nor a hot reload has
    to wait."""
    from kiosk.content.cache import cache_root, load_cached
    from kiosk.search.build import ensure_index

    rulebook, problems = load_cached(folder / "content", cache_root(data_dir))
    errors = [p for p in problems if p.severity == "error"]
    if errors or not rulebook.articles:
        why = str(errors[0]) if errors else "no articles"
        raise PublicationError(f"{folder.name}: its content does not load here: {why}")
    if manifest is not None and rulebook.fingerprint != manifest.content_version:
        raise PublicationError(
            f"{folder.name}: its content is not the content version the manifest names"
        )
    return "built" if ensure_index(rulebook, data_dir / "index").built else "kept"


def rollback(data_dir: Path) -> RollbackResult:
    """Switch back to the previous publication; the one left is not reinstalled by sync.

    Only one step back is kept: a second rollback is refused (KioskError), naming what is
    live now, rather than returning to the version rolled back from.
    """
    pubs = publications_dir(data_dir)
    current = read_pointer(pubs / CURRENT)
    if current is None:
        raise KioskError("no publication is installed on this kiosk: nothing to roll back")
    with _locked(pubs):
        current = read_pointer(pubs / CURRENT)
        previous = read_pointer(pubs / PREVIOUS)
        held = read_pointer(pubs / HELD)
        if previous and previous == held:
            # Rolled back already: 'previous' is the version just left. Going "back" to it
            # would reinstall it and lift the hold that keeps sync from reinstalling it.
            raise KioskError(
                f"{current} is live now: this kiosk was already rolled back from {held}, "
                "and it keeps no older publication to go back to "
                f"('kiosk sync --force SOURCE' reinstalls {held})"
            )
        if not previous or previous == current or not (pubs / previous / "content").is_dir():
            raise KioskError(
                f"no previous publication to go back to (installed: {current}); "
                "'kiosk sync --force SOURCE' reinstalls one"
            )
        _prepare(pubs / previous, _manifest_of(pubs / previous), data_dir)
        try:
            write_atomically(pubs / HELD, f"{current}\n".encode())
            write_atomically(pubs / CURRENT, f"{previous}\n".encode())
            write_atomically(pubs / PREVIOUS, f"{current}\n".encode())
        except OSError as exc:
            raise KioskError(f"{pubs}: cannot switch to {previous}: {exc.strerror}") from exc
        return RollbackResult(left=current, now=previous)


def _manifest_of(folder: Path) -> Manifest | None:
    try:
        return Manifest.from_bytes((folder / MANIFEST).read_bytes(), str(folder / MANIFEST))
    except (OSError, PublicationError):
        return None


def _prune(pubs: Path) -> None:
    """Keep the current and previous publications; remove everything else."""
    keep = {read_pointer(pubs / CURRENT), read_pointer(pubs / PREVIOUS)}
    for path in pubs.iterdir():
        if path.is_dir() and not path.is_symlink() and path.name not in keep:
            discard(path)
