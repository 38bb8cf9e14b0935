"""Ed25519 keys and signatures for publications (the ``cryptography`` library).

The signature covers the exact bytes of manifest.json, which lists every file's SHA-256:
verifying it and then every checksum proves the whole publication came from the holder
of the private key. Keys are PEM files: PKCS#8 for the private key (owner-only), and
SubjectPublicKeyInfo for the public key that kiosks are given (``publication_key``).
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.publication.manifest import PublicationError

PRIVATE_NAME, PUBLIC_NAME = "publish.key", "publish.pub"


def generate_keys(out: Path) -> tuple[Path, Path]:
    """Write a new key pair into ``out``; never overwrites an existing key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private_path, public_path = out / PRIVATE_NAME, out / PUBLIC_NAME
    for path in (private_path, public_path):
        if path.exists():
            raise KioskError(f"{path}: already exists; move it away first (it is not replaced)")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
        _write_new(private_path, private_pem, 0o600)
        _write_new(public_path, public_pem, 0o644)
    except OSError as exc:
        raise KioskError(f"{out}: cannot write the keys: {exc.strerror}") from exc
    return private_path, public_path


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, mode)  # whatever the umask


def _read_key_file(path: Path, what: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KioskError(f"{path}: cannot read the {what}: {exc.strerror}") from exc
    if len(data) > 16384:
        raise KioskError(f"{path}: not a {what} (file too large)")
    return data


def load_private_key(path: Path):
    """The Ed25519 private key in ``path``; KioskError when it is not one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    data = _read_key_file(path, "signing key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise KioskError(
            f"{path}: not a signing key (use the publish.key written by 'kiosk keygen')"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KioskError(f"{path}: not an Ed25519 key (use 'kiosk keygen')")
    return key


def load_public_key(path: Path):
    """The Ed25519 public key in ``path``; KioskError when it is not one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    data = _read_key_file(path, "publication key")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise KioskError(
            f"{path}: not a public key (use the publish.pub written by 'kiosk keygen')"
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise KioskError(f"{path}: not an Ed25519 public key (use 'kiosk keygen')")
    return key


def sign(private_key, manifest_bytes: bytes) -> bytes:
    """The signature file's bytes: base64 text, one line."""
    return base64.b64encode(private_key.sign(manifest_bytes)) + b"\n"


def verify(public_key, manifest_bytes: bytes, signature_file: bytes, where: str) -> None:
    """Raise PublicationError unless ``signature_file`` signs ``manifest_bytes``."""
    from cryptography.exceptions import InvalidSignature

    try:
        signature = base64.b64decode(signature_file.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise PublicationError(f"{where}: not a signature; not installed") from None
    try:
        public_key.verify(signature, manifest_bytes)
    except InvalidSignature:
        raise PublicationError(
            f"{where}: the signature does not match this kiosk's publication_key "
            "(tampered, or signed with another key); not installed"
        ) from None
