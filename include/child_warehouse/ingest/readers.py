"""Read CSV, XLSX and JSON submissions as a header plus a stream of numbered rows of text."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from child_warehouse import settings
from child_warehouse.contract import reasons
from child_warehouse.contract.columns import required_columns
from child_warehouse.ingest import encodings, jsonstream, safety
from child_warehouse.ingest.headers import looks_like_header
from child_warehouse.ingest.table import Table
from child_warehouse.ingest.xlsx import cell_text, read_xlsx
from child_warehouse.storage import Blob

__all__ = ["Table", "as_stream", "detect_encoding", "read_table"]


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _as_blob(source: Blob | Path | str) -> Blob:
    return source if isinstance(source, Blob) else Blob(str(source))


def detect_encoding(source: Blob | Path | str) -> str:
    """The encoding's name (utf-8, utf-8-sig, utf-16, windows-1258, tcvn3, vni, ...) or a refusal."""
    blob = _as_blob(source)
    with blob.open() as handle:
        return encodings.detect(handle, blob.name).name


def delimiter_of(first_line: str) -> str:
    """`;` when the header line has more semicolons than commas (Excel's export where the list
    separator is `;`), else `,`."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_csv(handle: BinaryIO, file_name: str) -> Table:
    encoding = encodings.detect(handle, file_name)
    lines = encodings.text_lines(handle, encoding, file_name)
    first = next(lines, "")
    if not first.strip():
        handle.close()
        raise reasons.FileRejected(reasons.empty_file(file_name))
    delimiter = delimiter_of(first)
    reader = csv.reader(chain([first], lines), delimiter=delimiter)
    headers = [_nfc(h) for h in next(reader)]

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    # reader.line_num counts physical lines; a quoted newline keeps the officer's row.
                    yield reader.line_num, cells
        finally:
            handle.close()

    return Table(1, headers, rows(), encoding=encoding.name, delimiter=delimiter)


def _json_items(blob: Blob) -> Iterator[dict]:
    """Each record of the document, streamed; a non-object record is kept as an empty row."""
    with blob.open() as handle:
        encoding = encodings.detect(handle, blob.name)
        text = io.TextIOWrapper(handle, encoding=encoding.codec)
        try:
            _, items = jsonstream.read_document(text)
            for item in items:
                yield item if isinstance(item, dict) else {}
        except jsonstream.JsonShapeError as error:
            raise reasons.FileRejected(reasons.unreadable(blob.name, f"JSON: {error}")) from error
        finally:
            text.detach()


def read_json(blob: Blob, submission_type: str) -> Table:
    """`records` (record types) or `values` (indicator report); row n is the n-th object.

    Two streamed passes: the first gathers every key any record uses (so no column is lost), the
    second yields the rows. Neither holds the document. An empty list names no columns, so it is
    read as the contract's columns with no rows: a nil return where the type allows one.
    """
    headers: dict[str, None] = {}
    for item in _json_items(blob):
        headers.update(dict.fromkeys(item))
    names = list(headers) or required_columns(submission_type)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, item in enumerate(_json_items(blob), start=1):
            yield number, [cell_text(item.get(h)) for h in names]

    return Table(0, [_nfc(h) for h in names], rows(), encoding=detect_encoding(blob))


def read_table(source: Blob | Path | str, submission_type: str, max_bytes: int | None = None) -> Table:
    """Open a stored file (local path or fsspec URL) and read it; oversize files are never opened."""
    blob = _as_blob(source)
    suffix = "." + blob.name.rsplit(".", 1)[-1].lower()
    limit = max_bytes or settings.max_file_bytes()
    safety.check_size(blob.name, blob.size(), limit)
    if suffix == ".csv":
        return read_csv(blob.open(), blob.name)
    if suffix == ".xlsx":
        return read_xlsx(blob.open(), blob.name, submission_type, looks_like_header)
    if suffix == ".json":
        return read_json(blob, submission_type)
    raise reasons.FileRejected(reasons.unreadable(blob.name, f"unsupported format {suffix}"))


def as_stream(pieces: Iterator[str] | Iterator[bytes]) -> io.IOBase:
    """Wrap an iterator of text (or of bytes) as a readable file for COPY without holding it all."""

    class _Stream(io.IOBase):
        """Each read gives at most `size` characters (or bytes) of the current piece (psycopg2 reads
        until a read gives nothing): slicing the rest of a piece off at every read of 8 kB copied each
        megabyte of a piece 128 times."""

        def __init__(self) -> None:
            self._piece: str | bytes = ""
            self._at = 0
            # psycopg2 turns an error raised inside read() into QueryCanceled; keep the real one.
            self.failure: Exception | None = None

        def readable(self) -> bool:
            return True

        def _next_piece(self) -> bool:
            while self._at >= len(self._piece):
                try:
                    self._piece, self._at = next(pieces), 0
                except StopIteration:
                    return False
                except Exception as error:
                    self.failure = error
                    raise
            return True

        def read(self, size: int = -1) -> str | bytes:
            if size < 0:
                rest = [self._piece[self._at :]]
                self._piece, self._at = "", 0
                while self._next_piece():
                    rest.append(self._piece)
                    self._at = len(self._piece)
                rest = [piece for piece in rest if piece]
                return rest[0][:0].join(rest) if rest else ""
            if not self._next_piece():
                return ""
            out = self._piece[self._at : self._at + size]
            self._at += len(out)
            return out

    return _Stream()
