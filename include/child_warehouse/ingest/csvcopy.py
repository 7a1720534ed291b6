"""A CSV file into its raw table without Python per row: its text streamed into COPY, then set-based.

The file's text (decoded; legacy fonts repaired line by line) goes into a temporary table of text
columns by COPY, in chunks; one INSERT ... SELECT then puts each column where the header mapping says,
with the row number, the form's own columns in `extra_columns`, and blank rows left out. The per-cell
checks (formula-like cells, IDs Excel turned into scientific notation) are a query for the few
candidate cells, judged by the same Python tests as the row-by-row reader, so the notes are the same.

This path takes only files whose every line is one row that PostgreSQL's CSV parser and Python's read
alike: fields unquoted, or quoted as RFC 4180 says (`"a ""b"", c"`), no quoted line break, no blank
line before the last row, one kind of line ending. Anything else (and anything the file would be
refused for) returns None before a row is kept, and the caller reads the file row by row (loader.py),
which gives every odd file its row numbers and reasons as before.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg2
from psycopg2 import sql

from child_warehouse.contract import reasons
from child_warehouse.contract.columns import allows_nil_return, canonical_columns
from child_warehouse.contract.reading import Reading
from child_warehouse.ingest import encodings, safety
from child_warehouse.ingest.headers import HeaderMap, map_headers
from child_warehouse.storage import Blob

_CHUNK_CHARACTERS = 1024**2
# Python's str.strip() whitespace, as a regular-expression class PostgreSQL reads the same way
_PY_SPACE = "".join(
    f"\\u{ord(c):04x}" if ord(c) < 0x10000 else c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()
)
_BLANK_CELL = f"^[{_PY_SPACE}]*$"
_STRIP = f"^[{_PY_SPACE}]+|[{_PY_SPACE}]+$"
_LONE_CR = re.compile(r"\r(?!\n)")
_BLANK_LINE = re.compile(r"(?:^|\n)\r?\n")
_QUOTED_LINE = re.compile(r'[^\n]*"[^\n]*')


class _NotPlain(Exception):
    """The text is not a file this path reads exactly like the row-by-row reader."""


@dataclass
class FastLoad:
    rows_loaded: int
    notes: list[reasons.RowNote]
    notes_not_kept: int
    unknown_columns: list[str]
    reading: Reading


def _rfc_line(delimiter: str) -> re.Pattern[str]:
    d = re.escape(delimiter)
    field = f'(?:[^"{d}\\r\\n]*|"(?:[^"\\r\\n]|"")*")'
    return re.compile(f"{field}(?:{d}{field})*\\r?\\n?")


class _Body(io.TextIOBase):
    """The lines after the header, in chunks cut at a line end, checked as they pass: every line one
    row read alike by both parsers. Counts the lines it passed (the rows COPY must report)."""

    def __init__(self, chunks: Iterator[str], delimiter: str) -> None:
        self._chunks = chunks
        self._line = _rfc_line(delimiter)
        self._pending = ""
        self._buffer = ""
        self._ended = False
        self._blank_tail = False
        self.lines = 0
        self.failure: Exception | None = None

    def readable(self) -> bool:
        return True

    def _checked(self, chunk: str) -> str:
        if self._blank_tail and chunk.strip("\r\n"):
            raise _NotPlain("a blank line before the last row")
        if _LONE_CR.search(chunk):
            raise _NotPlain("a line ended by a carriage return alone")
        blank = _BLANK_LINE.search(chunk)
        if blank:
            start = blank.start() + (1 if chunk[blank.start()] == "\n" and blank.start() > 0 else 0)
            if chunk[start:].strip("\r\n"):
                raise _NotPlain("a blank line before the last row")
            self._blank_tail = True  # blank lines at the very end hold no row and number none
            chunk = chunk[:start]
        for quoted in _QUOTED_LINE.finditer(chunk):
            if not self._line.fullmatch(quoted.group()):
                raise _NotPlain("a quote that is not RFC 4180 quoting, or a line break inside quotes")
        self.lines += chunk.count("\n") + (0 if chunk.endswith("\n") or not chunk else 1)
        return chunk

    def _next_chunk(self) -> str:
        while not self._ended:
            piece = next(self._chunks, None)
            if piece is None:
                self._ended = True
                rest, self._pending = self._pending, ""
                return self._checked(rest)
            text = self._pending + piece
            cut = text.rfind("\n") + 1
            if cut:
                self._pending = text[cut:]
                return self._checked(text[:cut])
            self._pending = text
        return ""

    def read(self, size: int = -1) -> str:
        try:
            while size < 0 or len(self._buffer) < size:
                chunk = self._next_chunk()
                if not chunk and self._ended:
                    break
                self._buffer += chunk
        except Exception as error:  # psycopg2 reports only "COPY failed"; keep what stopped it
            self.failure = error
            raise
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _text_chunks(handle, encoding: encodings.Encoding) -> tuple[str, Iterator[str]]:
    """The first line, and the rest of the text in chunks (a legacy font's line by line, so a VNI
    mark is never split from its letter)."""
    reader = io.TextIOWrapper(handle, encoding=encoding.codec, newline="")
    first = encoding.decode_line(reader.readline())

    def rest() -> Iterator[str]:
        if encoding.legacy_font:
            lines: list[str] = []
            size = 0
            for line in reader:
                lines.append(encoding.decode_line(line))
                size += len(line)
                if size >= _CHUNK_CHARACTERS:
                    yield "".join(lines)
                    lines, size = [], 0
            yield "".join(lines)
            return
        while chunk := reader.read(_CHUNK_CHARACTERS):
            yield chunk

    return first, rest()


def try_copy(conn, source: Blob, submission_type: str, submission_id: int) -> FastLoad | None:
    """Load the CSV file set-based, in the caller's transaction; None (nothing kept) when the file is
    for the row-by-row reader: anything unusual in its text, or anything it would be refused for."""
    try:
        safety.check_size(source.name, source.size())
        with source.open() as handle:
            encoding = encodings.detect(handle, source.name)
            first, chunks = _text_chunks(handle, encoding)
            delimiter = ";" if first.count(";") > first.count(",") else ","  # as readers.read_csv decides
            if not first.strip() or ('"' in first and not _rfc_line(delimiter).fullmatch(first)):
                return None
            headers = [
                unicodedata.normalize("NFC", h) for h in next(csv.reader([first], delimiter=delimiter))
            ]
            mapping = map_headers(submission_type, headers)
            if mapping.missing(submission_type) or mapping.wide_positions:
                return None
            body = _Body(chunks, delimiter)
            return _load(
                conn,
                body,
                headers=headers,
                mapping=mapping,
                encoding=encoding,
                delimiter=delimiter,
                kind=submission_type,
                submission_id=submission_id,
            )
    except (reasons.FileRejected, UnicodeDecodeError):
        return None  # the row-by-row reader gives the refusal, with how the file was read


def _load(
    conn,
    body: _Body,
    *,
    headers: list[str],
    mapping: HeaderMap,
    encoding,
    delimiter: str,
    kind: str,
    submission_id: int,
):
    width = len(headers)
    cells = [sql.Identifier(f"c{i + 1}") for i in range(width)]
    column_list = sql.SQL(", ").join(cells)
    with conn.cursor() as cur:
        cur.execute("savepoint csv_copy")
        cur.execute(
            sql.SQL(
                "create temporary table csv_copy (ord bigint generated always as identity, {}) on commit drop"
            ).format(sql.SQL(", ").join(sql.SQL("{} text").format(c) for c in cells))
        )
        copy = sql.SQL(
            "copy csv_copy ({}) from stdin with (format csv, delimiter {}, force_null ({}))"
        ).format(column_list, sql.Literal(delimiter), column_list)
        try:
            cur.copy_expert(copy.as_string(conn), body)
            copied = cur.rowcount
        except psycopg2.Error:
            # the file's shape (a row of another width, a bad byte, mixed line endings) or our check
            cur.execute("rollback to savepoint csv_copy")
            return None
        if copied != body.lines:
            cur.execute("rollback to savepoint csv_copy")
            return None
        cur.execute(
            sql.SQL("delete from csv_copy where {}").format(
                sql.SQL(" and ").join(sql.SQL("coalesce({} ~ %(blank)s, true)").format(c) for c in cells)
            ),
            {"blank": _BLANK_CELL},
        )
        cur.execute(
            sql.SQL("delete from {} where submission_id = %s").format(sql.Identifier("raw", kind)),
            (submission_id,),
        )
        loaded = _insert(cur, mapping, kind, submission_id)
    notes, not_kept = _cell_notes(conn, headers, mapping, width)
    with conn.cursor() as cur:
        cur.execute("drop table csv_copy")
        cur.execute("release savepoint csv_copy")
    if loaded == 0 and not allows_nil_return(kind):
        return None  # refused as header-only by the row-by-row reader, with its reading
    reading = Reading(
        encoding.name, delimiter, None, 1, {name: headers[i] for name, i in mapping.positions.items()}
    )
    return FastLoad(loaded, notes, not_kept, list(mapping.unknown), reading)


def _cell(position: int | None) -> sql.Composable:
    return sql.Identifier(f"c{position + 1}") if position is not None else sql.SQL("null")


def _insert(cur, mapping: HeaderMap, kind: str, submission_id: int) -> int:
    from child_warehouse.ingest.loader import raw_columns

    columns = [c for c in canonical_columns(kind) if c != "disaggregation"]
    values = {c: _cell(mapping.positions.get(c)) for c in columns}
    if kind == "indicator_report":
        position = mapping.positions.get("disaggregation")
        stripped = (
            sql.SQL("nullif(regexp_replace({}, %(strip)s, '', 'g'), '')").format(_cell(position))
            if position is not None
            else sql.SQL("null")
        )
        values["disaggregation"] = sql.SQL("coalesce({}, 'total')").format(stripped)
    pairs = [
        sql.SQL("{}, {}").format(sql.Literal(name), _cell(i)) for name, i in mapping.kept_as_sent().items()
    ]
    # a function takes at most 100 arguments: 50 columns to an object, the objects concatenated
    objects = [
        sql.SQL("jsonb_build_object({})").format(sql.SQL(", ").join(pairs[i : i + 50]))
        for i in range(0, len(pairs), 50)
    ]
    extra = (
        sql.SQL("nullif(jsonb_strip_nulls({}), '{{}}'::jsonb)").format(sql.SQL(" || ").join(objects))
        if objects
        else sql.SQL("null")
    )
    target = raw_columns(kind)
    selected = [sql.Literal(submission_id), sql.SQL("ord + 1")] + [values[c] for c in target[2:-1]] + [extra]
    cur.execute(
        sql.SQL("insert into {} ({}) select {} from csv_copy order by ord").format(
            sql.Identifier("raw", kind),
            sql.SQL(", ").join(map(sql.Identifier, target)),
            sql.SQL(", ").join(selected),
        ),
        {"strip": _STRIP},
    )
    return cur.rowcount


def _cell_notes(
    conn, headers: list[str], mapping: HeaderMap, width: int
) -> tuple[list[reasons.RowNote], int]:
    """The loader's cell notes, in its order (by row; formulas by column, then IDs), for the candidate
    cells a query finds (a formula's first character, an ID with an exponent's letter), streamed:
    a hostile file with a formula in every cell is read in bounded memory."""
    from child_warehouse.ingest.loader import ID_COLUMNS, MAX_ROW_ISSUES, cell_notes

    firsts = sorted(safety.FORMULA_FIRST_CHARACTERS)
    columns = [sql.Identifier(f"c{i + 1}") for i in range(width)]
    id_cells = [columns[mapping.positions[c]] for c in ID_COLUMNS if c in mapping.positions]
    conditions = [sql.SQL("left({}, 1) = any(%(firsts)s)").format(c) for c in columns]
    conditions += [sql.SQL("{} ~ '[eE]'").format(c) for c in id_cells]
    notes: list[reasons.RowNote] = []
    not_kept = 0
    with conn.cursor(name="csv_copy_notes") as cur:
        cur.itersize = 10_000
        cur.execute(
            sql.SQL("select ord + 1, {} from csv_copy where {} order by ord").format(
                sql.SQL(", ").join(columns), sql.SQL(" or ").join(conditions)
            ),
            {"firsts": firsts},
        )
        for row, *values in cur:
            for note in cell_notes(row, headers, ["" if v is None else v for v in values], mapping):
                if len(notes) < MAX_ROW_ISSUES:
                    notes.append(note)
                else:
                    not_kept += 1
    return notes, not_kept
