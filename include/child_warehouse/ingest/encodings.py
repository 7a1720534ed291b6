"""Decide a text file's encoding from a bounded sample, then decode it line by line.

Unicode files (UTF-8, UTF-16) and Windows-1258 are decoded exactly: a name typed in decomposed form
(NFD, as macOS saves it, or Windows-1258's combining tone marks) stays so in the raw layer, which keeps
what was sent; staging normalises to NFC. Legacy font encodings (TCVN3, VNI) have no characters of
their own, only font positions: their letters are mapped to Unicode and composed (NFC)."""

from __future__ import annotations

import codecs
import io
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import BinaryIO

from child_warehouse.contract import reasons
from child_warehouse.ingest.vietnamese import from_tcvn3, from_vni, plausibility

SAMPLE_BYTES = 256 * 1024
# The winner must read as Vietnamese this well, and clearly better than any other reading.
MIN_SCORE = 0.85
MIN_MARGIN = 0.2
# A UTF-8 reading is judged on its first characters when they hold enough words to judge: a child
# records file's first 32,768 hold about 1,200. Choosing the encodings of a 1M night's 25 child-record
# CSV files took 0.88 s judging whole samples, 0.58 s so (7 to 13 ms a UTF-8 file; the three legacy
# files' contests, unchanged, 0.38 s) (2026-12-07).
PREFIX_CHARACTERS = 32 * 1024
PREFIX_WORDS = 500


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True)
class Encoding:
    """How to read a file: a Python codec for the bytes, then a repair of legacy-font letters."""

    name: str
    codec: str
    repair: Callable[[str], str] = _identity

    @property
    def legacy_font(self) -> bool:
        return self.repair is not _identity

    def decode_line(self, line: str) -> str:
        """A decoded line as the raw layer keeps it: as is, or a legacy font's letters composed."""
        return unicodedata.normalize("NFC", self.repair(line)) if self.legacy_font else line


UTF8 = Encoding("utf-8", "utf-8")
UTF8_SIG = Encoding("utf-8-sig", "utf-8-sig")
UTF16 = Encoding("utf-16", "utf-16")
# Legacy-font text arrives as Windows-1252 bytes, or as UTF-8 when Excel re-saved the mojibake.
CANDIDATES = (
    UTF8,
    Encoding("windows-1258", "cp1258"),
    Encoding("tcvn3", "cp1252", from_tcvn3),
    Encoding("vni", "cp1252", from_vni),
    Encoding("utf-8+tcvn3", "utf-8", from_tcvn3),
    Encoding("utf-8+vni", "utf-8", from_vni),
)


def _decode_sample(sample: bytes, encoding: Encoding, complete: bool) -> str | None:
    if not complete:  # never judge a legacy candidate on a sequence the sample cut in two
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    try:
        text = codecs.getincrementaldecoder(encoding.codec)().decode(sample, final=complete)
    except UnicodeDecodeError:
        return None
    return unicodedata.normalize("NFC", encoding.repair(text))


def score_candidates(
    sample: bytes, complete: bool, candidates: tuple[Encoding, ...] = CANDIDATES
) -> list[tuple[float, int, str, Encoding]]:
    """(score, words scored, decoded text, encoding) for every candidate that decodes, best first."""
    scored = []
    for encoding in candidates:
        text = _decode_sample(sample, encoding, complete)
        if text is not None:
            score, words = plausibility(text, composed=True)
            scored.append((score, words, text, encoding))
    return sorted(scored, key=lambda s: -s[0])


def choose_encoding(sample: bytes, complete: bool, file_name: str) -> Encoding:
    """The one encoding the sample supports with confidence; otherwise the file is refused."""
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8_SIG
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    # Legacy bytes almost never form valid UTF-8, and TCVN3 maps Latin-1 letters to other letters,
    # so a UTF-8 reading that is good Vietnamese wins outright, before any other reading is tried (the
    # five others cost about 0.4 s a file); only a poor one opens the contest.
    text = _decode_sample(sample, UTF8, complete)  # the whole sample must be UTF-8, whatever is judged
    if text is not None:
        score, words = plausibility(text[:PREFIX_CHARACTERS], composed=True)
        if words >= PREFIX_WORDS and score >= MIN_SCORE:
            return UTF8
        if plausibility(text, composed=True)[0] >= MIN_SCORE:
            return UTF8
    scored = score_candidates(sample, complete, tuple(c for c in CANDIDATES if c is not UTF8))
    if not scored:
        raise reasons.FileRejected(reasons.undeterminable_encoding(file_name))
    best_score, _, best_text, best = scored[0]
    if best_score < MIN_SCORE:
        raise reasons.FileRejected(reasons.undeterminable_encoding(file_name))
    rivals = [s for s in scored[1:] if s[2] != best_text and s[0] > best_score - MIN_MARGIN]
    if rivals:
        raise reasons.FileRejected(reasons.ambiguous_encoding(file_name, best.name, rivals[0][3].name))
    # Equal readings (plain ASCII, or text every candidate reads the same) prefer the first listed.
    return next(s[3] for s in scored if s[2] == best_text and s[0] == best_score)


def detect(handle: BinaryIO, file_name: str) -> Encoding:
    """Read at most SAMPLE_BYTES from the start, decide, and rewind."""
    sample = handle.read(SAMPLE_BYTES + 1)
    handle.seek(0)
    complete = len(sample) <= SAMPLE_BYTES
    return choose_encoding(sample[:SAMPLE_BYTES], complete, file_name)


@contextmanager
def _decoding(handle: BinaryIO, encoding: Encoding, file_name: str) -> Iterator[io.TextIOWrapper]:
    """The file as text in `encoding`'s codec; a bad byte, whenever it is read, refuses the file."""
    reader = io.TextIOWrapper(handle, encoding=encoding.codec, newline="")
    try:
        yield reader
    except UnicodeDecodeError as error:
        raise reasons.FileRejected(reasons.undeterminable_encoding(file_name)) from error
    finally:
        with suppress(ValueError):  # the reader closed the file first (a generator closed late)
            reader.detach()


def text_pieces(handle: BinaryIO, encoding: Encoding, file_name: str, size: int) -> Iterator[str]:
    """The first line, then the rest in pieces of whole lines of about `size` characters, each decoded
    as text_lines decodes a line: a legacy font's letters are repaired and composed within a line (a
    line end is neither a word's letter nor a mark's base), so a piece reads as its lines one by one,
    at a few calls a piece instead of a few a line."""
    with _decoding(handle, encoding, file_name) as reader:
        yield encoding.decode_line(reader.readline())
        while piece := reader.read(size):
            # to the end of the line the read stopped in (one a carriage return alone ends too)
            yield encoding.decode_line(piece + reader.readline())


def text_lines(handle: BinaryIO, encoding: Encoding, file_name: str) -> Iterator[str]:
    """Decoded lines (line endings kept, as csv wants), legacy fonts repaired; a bad byte later
    refuses the file."""
    with _decoding(handle, encoding, file_name) as reader:
        for line in reader:
            # Per line, so a VNI mark is never split from its letter by a buffer boundary.
            yield encoding.decode_line(line)
