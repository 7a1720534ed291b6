"""Read CSV, XLSX and JSON submissions as a header plus a stream of numbered rows of text."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from child_warehouse.ingest import errors
from child_warehouse.ingest.headers import looks_like_header

_CHUNK = 1 << 20
_SHEET_NAMES = ("DuLieu", "BaoCao")


@dataclass
class Table:
    """A file's header (with its row number as the officer sees it) and its data rows."""

    header_row: int
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is refused, never guessed."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise errors.FileRejected(errors.undeterminable_encoding(path.name)) from error
    return "utf-8"


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def read_csv(path: Path) -> Table:
    encoding = detect_encoding(path)
    handle = path.open("r", encoding=encoding, newline="")
    sample = handle.read(64 * 1024)
    handle.seek(0)
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        headers = [_nfc(h) for h in next(reader)]
    except StopIteration as error:
        handle.close()
        raise errors.FileRejected(errors.empty_file(path.name)) from error

    def rows() -> Iterator[tuple[int, list[str]]]:
        with handle:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    # reader.line_num counts physical lines; a quoted newline keeps the officer's row.
                    yield reader.line_num, [_nfc(c) for c in cells]

    return Table(1, headers, rows())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _nfc(str(value))


def read_xlsx(path: Path, submission_type: str) -> Table:
    """The sheet named DuLieu/BaoCao or else the first; title rows above the header are skipped."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise errors.FileRejected(errors.unreadable(path.name, type(error).__name__)) from error
    sheet = next((book[n] for n in _SHEET_NAMES if n in book.sheetnames), book.worksheets[0])
    cells_iter = sheet.iter_rows(values_only=True)
    for number, values in enumerate(cells_iter, start=1):
        cells = [_cell_text(v) for v in values]
        if looks_like_header(submission_type, cells):
            header_row, headers = number, cells
            break
    else:
        book.close()
        raise errors.FileRejected(errors.no_header(path.name))

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(cells_iter, start=header_row + 1):
                cells = [_cell_text(v) for v in values]
                if any(c.strip() for c in cells):
                    yield number, cells
        finally:
            book.close()

    return Table(header_row, headers, rows())


def read_json(path: Path) -> Table:
    """`records` (record types) or `values` (indicator report); row n is the n-th object."""
    try:
        document = json.loads(path.read_text(encoding=detect_encoding(path)))
    except json.JSONDecodeError as error:
        raise errors.FileRejected(errors.unreadable(path.name, f"JSON: {error.msg}")) from error
    if not isinstance(document, dict):
        raise errors.FileRejected(errors.unreadable(path.name, "JSON must be an object with records/values"))
    items = document.get("records") or document.get("values") or []
    headers: list[str] = []
    for item in items:
        for key in item if isinstance(item, dict) else []:
            if key not in headers:
                headers.append(key)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, item in enumerate(items, start=1):
            source = item if isinstance(item, dict) else {}
            yield number, [_cell_text(source.get(h)) for h in headers]

    return Table(0, [_nfc(h) for h in headers], rows())


def read_table(path: Path, submission_type: str) -> Table:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".xlsx":
        return read_xlsx(path, submission_type)
    if suffix == ".json":
        return read_json(path)
    raise errors.FileRejected(errors.unreadable(path.name, f"unsupported format {suffix}"))


def as_text_stream(lines: Iterator[str]) -> io.TextIOBase:
    """Wrap an iterator of text lines as a readable file for COPY without holding them all."""

    class _Stream(io.TextIOBase):
        def __init__(self) -> None:
            self._buffer = ""

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> str:
            while size < 0 or len(self._buffer) < size:
                try:
                    self._buffer += next(lines)
                except StopIteration:
                    break
            if size < 0:
                size = len(self._buffer)
            out, self._buffer = self._buffer[:size], self._buffer[size:]
            return out

    return _Stream()
