"""A CSV file into its raw table without Python per row: its lines streamed into COPY, then set-based.

The file's text (decoded; legacy fonts repaired line by line) streams past once, each line numbered
as the officer's spreadsheet numbers it (the header is row 1). A plain line (as many cells as the
header, and no quote or every quote as RFC 4180 puts it: `"a ""b""; c"` as a whole cell) goes by COPY
straight into the raw table when every header is a column of it, prefixed with its submission and
row (COPY's CSV format reads such a line's cells as Python's csv module does; a quoted empty cell is
null, as an unquoted one); a blank one (every cell whitespace) is left out. Any other line (another
width, a stray quote inside a field) waits in a spooled file and then goes by COPY into a temporary
table, where SQL splits it into cells exactly as Python's csv module does: a line quoted as RFC 4180
says by a regular expression, a line without a quote on its delimiter, the few other lines with a
quote by the csv module itself; one INSERT ... SELECT puts each cell where the header mapping says,
with the form's own columns and any cells past the header in `extra_columns`.
The per-row notes (rows of another width than the header, formula-like cells, IDs Excel turned into
scientific notation) are judged by the same Python code as the row-by-row reader, so notes and
reasons are the same: for plain lines as they pass (those where a formula or such an ID could be),
for the others from a query for the candidate rows; then merged in row order.

A file this path cannot read exactly as the row-by-row reader would (a record running over two
lines, a line ended by a carriage return alone, a NUL character, a cell longer than the csv module
reads, anything the file would be refused for) returns None before a row is kept, and the caller
reads it row by row (loader.py), as before.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Iterator
from functools import partial
from itertools import accumulate, compress, repeat
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING

import psycopg2
from psycopg2 import sql
from psycopg2.extras import execute_values

from child_warehouse.contract import reasons
from child_warehouse.contract.columns import allows_nil_return, canonical_columns
from child_warehouse.contract.reading import Reading
from child_warehouse.ingest import encodings, safety
from child_warehouse.ingest.headers import HeaderMap, map_headers
from child_warehouse.ingest.readers import as_stream, delimiter_of
from child_warehouse.storage import Blob

if TYPE_CHECKING:
    from child_warehouse.ingest.loader import LoadReport

# The text is sorted a chunk at a time while the server takes in the chunk before. With chunks of 1 MB
# the two mostly took turns: loading the CSV files of a 1M-children night, this process used 3.1 s of
# CPU and the server's 2.4 s in 4.6 s, one of the two cores idle for 3.0 s. At 128 kB those files
# loaded in 3.6-4.2 s against 4.0-4.9 s at 1 MB (alternated, 2026-12-08; 32-256 kB were within the
# noise of each other).
_CHUNK_CHARACTERS = 128 * 1024
_LONE_CR = re.compile(r"\r(?!\n)")
_LONE_CR_BYTES = re.compile(rb"\r(?!\n)")
# COPY reads each line as one field: no quote or delimiter of its own may occur in the text
_COPY_QUOTE, _COPY_DELIMITER = "\x01", "\x02"


# Python's str.strip() whitespace (the characters for which str.isspace() is true), as a
# regular-expression class PostgreSQL reads the same way. Written out: working it out by testing every
# code point costs 0.2 s, which each task process paid on its first CSV file (tests/ingest/test_csvcopy.py
# holds the list to this Python's own answer).
PY_SPACE = (
    "\\u0009\\u000a\\u000b\\u000c\\u000d\\u001c\\u001d\\u001e\\u001f\\u0020\\u0085\\u00a0\\u1680"
    "\\u2000\\u2001\\u2002\\u2003\\u2004\\u2005\\u2006\\u2007\\u2008\\u2009\\u200a\\u2028\\u2029"
    "\\u202f\\u205f\\u3000"
)

_PY_SPACE_CHARACTERS = PY_SPACE.encode().decode("unicode_escape")


class _NotPlain(Exception):
    """The text is not a file this path reads exactly like the row-by-row reader."""


def _typed(binary: bool, text: str) -> str | bytes:
    """`text` as the lines are made: str, or UTF-8 bytes where the file's own bytes stream on."""
    return text.encode() if binary else text


def _field(delimiter: str) -> str:
    d = re.escape(delimiter)
    return f'("(?:[^"]|"")*"|[^{d}"]*)'


class _Lines:
    """The text after the header (`checked()`), checked as it passes for what the set-based path
    cannot read as the row-by-row reader does. `binary`: the chunks are a UTF-8 file's own bytes."""

    def __init__(self, chunks: Iterator[str] | Iterator[bytes], binary: bool = False) -> None:
        self._chunks = chunks
        self.binary = binary
        self._structure = [_typed(binary, c) for c in (_COPY_QUOTE, _COPY_DELIMITER, "\x00")]
        self._lone_cr = _LONE_CR_BYTES if binary else _LONE_CR
        self._cr = _typed(binary, "\r")

    def _checked(self, chunk):
        if any(c in chunk for c in self._structure):
            raise _NotPlain("a character COPY would read as structure, or a NUL")
        if self._lone_cr.search(chunk):
            raise _NotPlain("a line ended by a carriage return alone")
        return chunk

    def checked(self) -> Iterator[str] | Iterator[bytes]:
        held = self._cr[:0]  # a CR at a chunk's end waits for the LF the next chunk may start with
        for piece in self._chunks:
            chunk, held = held + piece, held[:0]
            if chunk.endswith(self._cr):
                chunk, held = chunk[:-1], self._cr
            yield self._checked(chunk)
        if held:
            yield self._checked(held)


def _text_chunks(handle, encoding: encodings.Encoding, file_name: str) -> tuple[str, _Lines]:
    """The first line, and the rest of the text in chunks: a legacy font's decoded in pieces of whole
    lines (encodings.text_pieces, so a VNI mark is never split from its letter); UTF-8's as the file's own
    bytes, which COPY takes as they are (decoding them to split the lines and encoding them again for
    COPY was a third of this path's time; PostgreSQL checks every byte, and a bad one sends the file
    to the row-by-row reader, which refuses it); any other read as it comes."""
    if encoding.legacy_font:
        pieces = encodings.text_pieces(handle, encoding, file_name, _CHUNK_CHARACTERS)
        return next(pieces), _Lines(pieces)
    if encoding.codec in ("utf-8", "utf-8-sig"):
        first = handle.readline().decode(encoding.codec)  # a BOM goes with the header
        if _LONE_CR.search(first):  # the text reader would end the header there
            raise _NotPlain("a line ended by a carriage return alone")
        return first, _Lines(iter(lambda: handle.read(_CHUNK_CHARACTERS), b""), binary=True)
    reader = io.TextIOWrapper(handle, encoding=encoding.codec, newline="")
    return reader.readline(), _Lines(iter(lambda: reader.read(_CHUNK_CHARACTERS), ""))


def try_copy(conn, source: Blob, submission_type: str, submission_id: int) -> LoadReport | None:
    """Load the CSV file set-based, in the caller's transaction; None (nothing kept) when the file is
    for the row-by-row reader: a record over two lines, odd line ends, anything it would be refused for."""
    try:
        safety.check_size(source.name, source.size())
        with source.open() as handle:
            encoding = encodings.detect(handle, source.name)
            first, chunks = _text_chunks(handle, encoding, source.name)
            delimiter = delimiter_of(first)
            if not first.strip() or _opens_a_second_line(first, delimiter):
                return None
            headers = [
                unicodedata.normalize("NFC", h) for h in next(csv.reader([first], delimiter=delimiter))
            ]
            mapping = map_headers(submission_type, headers)
            if mapping.missing(submission_type) or mapping.wide_positions:
                return None
            return _load(
                conn,
                chunks,
                headers=headers,
                mapping=mapping,
                encoding=encoding,
                delimiter=delimiter,
                kind=submission_type,
                submission_id=submission_id,
            )
    except (reasons.FileRejected, UnicodeDecodeError, _NotPlain):
        return None  # the row-by-row reader gives the refusal, with how the file was read


def _opens_a_second_line(line: str, delimiter: str) -> bool:
    """The line leaves a quoted field open, so its record goes on in the next line (csv.reader would
    read the two as one row)."""
    reader = csv.reader([line.rstrip("\r\n") + "\n", "x\n"], delimiter=delimiter)
    next(reader, None)
    return reader.line_num > 1


def _direct_columns(kind: str, mapping: HeaderMap, width: int) -> list[str] | None:
    """The raw table's column for each of the file's columns, in the file's order, when every one has
    its own and none is transformed on the way (the indicator report's disaggregation is)."""
    if kind == "indicator_report" or mapping.kept_as_sent():
        return None
    by_position = {i: name for name, i in mapping.positions.items()}
    if sorted(by_position) != list(range(width)):
        return None
    return [by_position[i] for i in range(width)]


class _Sorted:
    """The lines after the header, numbered as the officer's spreadsheet numbers them (the header is
    row 1), each sent its way as it streams past. A plain line (as many cells as the header; no quote,
    or quoted as RFC 4180 says, split by the csv module to count and judge its cells) goes to COPY into
    the raw table (`direct()`), prefixed with the submission and its row, or is left out when every
    cell is whitespace, whatever its width (the row-by-row reader drops it); where a formula-like cell
    or an ID in scientific notation may be, the row-by-row reader's own code judges it as it passes.
    Any other line waits in `odd` (a spooled file: memory stays bounded) with its number, for the
    lines' path. A line's CR before its LF goes: csv.reader reads CRLF and LF alike (a lone CR has made
    _Lines refuse the file already). The lines are str, or a UTF-8 file's own bytes (`_Lines.binary`),
    decoded only where a line's cells are judged or split.

    Each step is a comprehension or a regular expression over a chunk of lines, not a loop of Python
    statements per line: 91,314 lines took 0.41 s so, 0.17 s this way (measured 2026-12-07)."""

    def __init__(
        self,
        lines: _Lines,
        odd,
        *,
        delimiter: str,
        width: int | None,
        submission_id: int,
        judge,
        commune: int | None = None,
    ) -> None:
        self._lines = lines
        binary = self._binary = lines.binary
        typed = partial(_typed, binary)
        self._delimiter = delimiter  # `;` or `,`: no % to escape in the formats below
        self._d, self._nl, self._cr, self._quote = typed(delimiter), typed("\n"), typed("\r"), typed('"')
        self._cells = width  # None: no line goes direct
        self._direct_line = typed(f"{submission_id}{delimiter}%d{delimiter}%s\n")
        self._odd_line = typed(f"%d{_COPY_DELIMITER}%s\n")
        self._judge = judge
        # a line of these only is blank. Bytes: the ASCII ones; a line whose first other byte is not
        # ASCII (`_non_ascii_first`: a no-break space is two bytes) is decoded to be told
        self._text_blank = delimiter + _PY_SPACE_CHARACTERS
        ascii_blank = delimiter + "".join(c for c in _PY_SPACE_CHARACTERS if c.isascii())
        self._blank = typed(ascii_blank if binary else self._text_blank)
        within_a_line = re.escape(ascii_blank.replace("\n", "")).encode()
        self._first_not_ascii = re.compile(rb"[%b]*[\x80-\xff]" % within_a_line)
        self._next_first_not_ascii = re.compile(rb"\n[%b]*[\x80-\xff]" % within_a_line)
        # where a line may hold a formula-like cell (one of the characters opening a cell: the
        # character, then a look back at the delimiter or line end before it) or an ID in scientific
        # notation (an E before a digit or a +). Each pattern starts with one literal character, which
        # Python's re looks for in a tight loop (about 0.45 ms a megabyte); a pattern starting with a
        # class of characters tries every position (42-76 ms for a 10 MB file against 3-6 ms for each
        # of these). None is run that cannot find anything: no cell starts with a CR (every CR is a
        # CRLF's, gone before), and a text without the character a pattern starts with (a quote for
        # a quoted cell) is not scanned for it (a membership test runs at memchr's speed).
        firsts = tuple(safety.FORMULA_FIRST_CHARACTERS - {"\r"})
        d = re.escape(delimiter)
        self._needles = [
            (typed(c), re.compile(typed(f"{re.escape(c)}(?<=[{d}\\n]{re.escape(c)})"))) for c in firsts
        ] + [(typed(e), re.compile(typed(f"{e}[+0-9]"))) for e in "eE"]
        self._quoted_needles = [  # the same characters opening a quoted cell
            (self._quote, re.compile(typed(f'"{re.escape(c)}(?<=[{d}\\n]"{re.escape(c)})'))) for c in firsts
        ]
        self._formula_starts = tuple(typed(c) for c in firsts) + tuple(typed(f'"{c}') for c in firsts)
        field = _field(delimiter)
        self._rfc = re.compile(typed(f"{field}(?:{d}{field})*"))
        self.odd = odd
        self.row = 1
        self.sent = 0
        self.odd_lines = 0
        # the commune cells of the lines sent, as sent (the file-level check counts them: reading
        # them back from the raw table was a tenth of the load)
        self._commune = commune
        self._split_to_commune = None if commune is None else methodcaller("split", self._d, commune + 1)
        self._communes: Counter = Counter()

    def _text(self, line) -> str:
        return line.decode() if self._binary else line

    def _sort(self, text):
        text = text.replace(self._cr, text[:0])  # every CR is a CRLF's here
        lines = text.split(self._nl)
        limit = csv.field_size_limit()
        if max(map(len, lines)) > limit and any(  # (bytes: at least as many as characters)
            len(line) > limit and ('"' in line or max(map(len, line.split(self._delimiter))) > limit)
            for line in map(self._text, (line for line in lines if len(line) > limit))
        ):  # a cell too long for the csv module, or a long quoted line that may hide one (its cells
            # may hold delimiters): the row-by-row reader decides, and refuses the file if so
            raise _NotPlain("a cell that may be longer than the csv module reads")
        first, self.row = self.row + 1, self.row + len(lines)
        rows = range(first, self.row + 1)
        d, quote = self._d, self._quote
        quoted: dict[int, list[str]] = {}
        if self._cells is None:
            plain = [False] * len(lines)
        elif quote in text:
            separators = self._cells - 1
            plain = [line.count(d) == separators and quote not in line for line in lines]
        else:  # the same, as calls of built-in methods by map: half the time of a comprehension
            plain = list(map((self._cells - 1).__eq__, map(type(text).count, lines, repeat(d))))
        kept = [bool(line.strip(self._blank)) or quote in line for line in lines]
        if self._binary:  # a line that may be blank with other spaces than ASCII's: told decoded
            for index in self._non_ascii_first(text):
                line = lines[index]
                kept[index] = bool(self._text(line).strip(self._text_blank)) or quote in line
        if self._cells is not None and quote in text:
            quoted = self._quoted(lines)
            for index, cells in quoted.items():
                plain[index] = True
                kept[index] = bool("".join(cells).strip(_PY_SPACE_CHARACTERS))
        if not all(plain):
            odd = [
                self._odd_line % (row - 1, line)
                for row, line, p, k in zip(rows, lines, plain, kept, strict=True)
                if k and not p
            ]
            self.odd.write(text[:0].join(odd))
            self.odd_lines += len(odd)
        direct = [p and k for p, k in zip(plain, kept, strict=True)]
        self._judge_candidates(text, lines, first, direct, quoted)
        if self._commune is not None:
            self._count_communes(lines, direct, quoted)
        out = [
            self._direct_line % (row, line)
            for row, line, p, k in zip(rows, lines, plain, kept, strict=True)
            if p and k
        ]
        self.sent += len(out)
        return text[:0].join(out)

    def _count_communes(self, lines: list, direct: list[bool], quoted: dict[int, list[str]]) -> None:
        unquoted = direct
        if quoted:
            unquoted = [d and i not in quoted for i, d in enumerate(direct)]
            self._communes.update(cells[self._commune] for i, cells in quoted.items() if direct[i])
        self._communes.update(
            map(itemgetter(self._commune), map(self._split_to_commune, compress(lines, unquoted)))
        )

    def communes(self) -> dict[str | None, int]:
        """Rows sent by commune cell, as the raw table holds it (text, or null for an empty cell)."""
        counted: Counter = Counter()
        for cell, rows in self._communes.items():  # bytes, or str from a quoted line's cells
            text = cell.decode() if isinstance(cell, bytes) else cell
            counted[text or None] += rows
        return dict(counted)

    def _non_ascii_first(self, text: bytes) -> Iterator[int]:
        """The index of each line whose first byte that is not an ASCII blank or the delimiter is not
        ASCII: a line of other spaces is one of them."""
        if self._first_not_ascii.match(text):
            yield 0
        index, at = 0, 0
        for found in self._next_first_not_ascii.finditer(text):
            index += text.count(self._nl, at, found.start() + 1)
            at = found.start() + 1
            yield index

    def _quoted(self, lines: list) -> dict[int, list[str]]:
        """The cells of each line with a quote that is quoted as RFC 4180 says and as wide as the
        header, by the line's index: COPY reads these as the csv module does."""
        candidates = [
            (i, line) for i, line in enumerate(lines) if self._quote in line and self._rfc.fullmatch(line)
        ]
        split = csv.reader([self._text(line) for _, line in candidates], delimiter=self._delimiter)
        return {
            i: cells for (i, _), cells in zip(candidates, split, strict=True) if len(cells) == self._cells
        }

    def _judge_candidates(
        self, text, lines: list, first: int, direct: list[bool], quoted: dict[int, list[str]]
    ) -> None:
        """The direct lines where a cell starts as a formula would or an ID has an e, in row order."""
        found = [0] if text.startswith(self._formula_starts) else []
        for first_character, needle in self._needles + self._quoted_needles:
            if first_character in text:
                found += [m.start() for m in needle.finditer(text)]
        if not found:
            return
        starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        for index in sorted({bisect_right(starts, position) - 1 for position in found}):
            if direct[index]:
                cells = quoted.get(index)
                if cells is None:
                    cells = self._text(lines[index]).split(self._delimiter)
                self._judge(first + index, cells)

    def direct(self) -> Iterator[str] | Iterator[bytes]:
        pending: list = []  # a line's beginning, until a chunk brings its end (kept as pieces: a
        # line of many megabytes joined chunk by chunk would be copied again at every chunk)
        for chunk in self._lines.checked():
            cut = chunk.rfind(self._nl)
            if cut < 0:
                pending.append(chunk)
                continue
            text = chunk[:0].join([*pending, chunk[:cut]])
            pending = [chunk[cut + 1 :]]
            yield self._sort(text)
        if rest := self._nl[:0].join(pending):
            yield self._sort(rest)


def _load(
    conn,
    lines: _Lines,
    *,
    headers: list[str],
    mapping: HeaderMap,
    encoding,
    delimiter: str,
    kind: str,
    submission_id: int,
) -> LoadReport | None:
    from child_warehouse.ingest.loader import LoadReport, cell_notes, note_as_issue

    width = len(headers)
    columns = _direct_columns(kind, mapping, width)
    plain = LoadReport()  # the notes of the plain lines, judged as they stream past

    def judge(row: int, cells: list[str]) -> None:
        for note in cell_notes(row, headers, cells, mapping):
            plain.add_issue(note_as_issue(submission_id, note))

    table = sql.Identifier("raw", kind)
    with (
        conn.cursor() as cur,
        (
            tempfile.SpooledTemporaryFile(max_size=8 * 1024**2, mode="w+b")
            if lines.binary
            else tempfile.SpooledTemporaryFile(max_size=8 * 1024**2, mode="w+", encoding="utf-8", newline="")
        ) as odd,
    ):
        sorted_lines = _Sorted(
            lines,
            odd,
            delimiter=delimiter,
            width=width if columns else None,
            submission_id=submission_id,
            judge=judge,
            commune=mapping.positions.get("commune_code"),
        )
        cur.execute("savepoint csv_copy")
        cur.execute(sql.SQL("delete from {} where submission_id = %s").format(table), (submission_id,))
        into_raw = sql.SQL("copy {} ({}) from stdin with (format csv, delimiter {}{})").format(
            table,
            sql.SQL(", ").join(map(sql.Identifier, ["submission_id", "source_row", *(columns or [])])),
            sql.Literal(delimiter),
            # a quoted empty cell is null, as an unquoted one (and as the lines' path makes it)
            sql.SQL(", force_null ({})").format(sql.SQL(", ").join(map(sql.Identifier, columns)))
            if columns
            else sql.SQL(""),
        )
        try:
            if columns:
                cur.copy_expert(into_raw.as_string(conn), as_stream(sorted_lines.direct()))
                copied = cur.rowcount
            else:
                deque(sorted_lines.direct(), maxlen=0)  # every line is odd: to the spool
                copied = 0
        except (psycopg2.Error, _NotPlain, UnicodeDecodeError, reasons.FileRejected):
            copied = -1  # odd line ends, a bad byte, our own check
        odd_rows = (
            _load_odd_lines(
                cur,
                odd,
                sorted_lines.odd_lines,
                delimiter=delimiter,
                mapping=mapping,
                kind=kind,
                submission_id=submission_id,
                width=width,
            )
            if copied == sorted_lines.sent and sorted_lines.odd_lines
            else 0
        )
        if copied != sorted_lines.sent or odd_rows is None:
            cur.execute("rollback to savepoint csv_copy")
            return None
        loaded = copied + odd_rows
        if loaded == 0 and not allows_nil_return(kind):
            cur.execute("rollback to savepoint csv_copy")
            return None  # refused as header-only by the row-by-row reader, with its reading
    reading = Reading(
        encoding.name, delimiter, None, 1, {name: headers[i] for name, i in mapping.positions.items()}
    )
    report = LoadReport(rows_loaded=loaded, unknown_columns=list(mapping.unknown), reading=reading)
    if "commune_code" in canonical_columns(kind):
        report.commune_rows = sorted_lines.communes()
    odd_report = LoadReport()
    if sorted_lines.odd_lines:
        if report.commune_rows is not None:
            _count_odd_communes(conn, report.commune_rows, mapping)
        _note_rows(conn, odd_report, headers, mapping, submission_id)
        with conn.cursor() as cur:
            cur.execute("drop table csv_lines, csv_rows")
    _merge_notes(report, plain, odd_report)
    with conn.cursor() as cur:
        cur.execute("release savepoint csv_copy")
    return report


def _count_odd_communes(conn, counted: dict[str | None, int], mapping: HeaderMap) -> None:
    """Add the commune cells of the lines' path's rows, as `_insert` stored them."""
    position = mapping.positions.get("commune_code")
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL("select {}, count(*) from csv_rows group by 1").format(_cell(position)),
        )
        for cell, rows in cur.fetchall():
            counted[cell] = counted.get(cell, 0) + rows


def _load_odd_lines(
    cur, odd, lines: int, *, delimiter: str, mapping: HeaderMap, kind: str, submission_id: int, width: int
) -> int | None:
    """The `lines` lines that did not go straight into the raw table (in `odd`, with their numbers),
    by COPY into `csv_lines`, split into cells and inserted; the rows inserted, or None when the file
    is for the row-by-row reader (a record over two lines)."""
    cur.execute("create temporary table csv_lines (ord bigint, line text) on commit drop")
    into_lines = sql.SQL(
        "copy csv_lines (ord, line) from stdin with (format csv, delimiter {}, quote {})"
    ).format(sql.Literal(_COPY_DELIMITER), sql.Literal(_COPY_QUOTE))
    odd.seek(0)
    try:
        cur.copy_expert(into_lines.as_string(cur.connection), odd)
    except psycopg2.Error:
        return None
    if cur.rowcount != lines or not _split(cur, delimiter):
        return None
    return _insert(cur, mapping, kind, submission_id, width)


def _merge_notes(report: LoadReport, *parts: LoadReport) -> None:
    """The parts' notes in row order (within a row, each part's own order: the row-by-row reader's),
    into the report's bounded list; each part kept its first notes, so the first of all are among them."""
    merged = sorted((issue for part in parts for issue in part.row_issues), key=lambda i: i.source_row)
    for issue in merged:
        report.add_issue(issue)
    report.issues_not_kept += sum(part.issues_not_kept for part in parts)


def _split(cur, delimiter: str) -> bool:
    """csv_rows(ord, cells): each non-blank line's cells, as csv.reader splits it. False when a line
    opens a quoted field it does not close (its record would run on into the next line)."""
    field = _field(delimiter)
    cur.execute(
        """create temporary table csv_rows on commit drop as
           select ord, case when strpos(line, '"') = 0 then string_to_array(line, %(d)s)
                            else array(select case when m[1] like '"%%'
                                                   then replace(substr(m[1], 2, length(m[1]) - 2), '""', '"')
                                                   else m[1] end
                                       from regexp_matches(line || %(d)s, %(one)s, 'g') as m)
                       end as cells
           from csv_lines
           where line is not null and (strpos(line, '"') = 0 or line ~ %(rfc)s)""",
        {
            "d": delimiter,
            "one": field + re.escape(delimiter),
            "rfc": f"^{field}({re.escape(delimiter)}{field})*$",
        },
    )
    cur.execute(
        """select ord, line from csv_lines
           where line is not null and strpos(line, '"') > 0 and line !~ %(rfc)s order by ord""",
        {"rfc": f"^{field}({re.escape(delimiter)}{field})*$"},
    )
    odd = cur.fetchall()
    if any(_opens_a_second_line(line, delimiter) for _, line in odd):
        return False
    if odd:  # a stray quote inside a field: the csv module splits it, as the row-by-row reader does
        split = [(ord_, next(csv.reader([line], delimiter=delimiter))) for ord_, line in odd]
        execute_values(cur, "insert into csv_rows (ord, cells) values %s", split, template="(%s, %s::text[])")
    cur.execute(
        # every cell blank: their concatenation is blank too
        "delete from csv_rows where array_to_string(cells, '') ~ %(blank)s",
        {"blank": f"^[{PY_SPACE}]*$"},
    )
    return True


def _cell(position: int | None) -> sql.Composable:
    return (
        sql.SQL("nullif(cells[{}], '')").format(sql.Literal(position + 1))
        if position is not None
        else sql.SQL("null")
    )


def _insert(cur, mapping: HeaderMap, kind: str, submission_id: int, width: int) -> int:
    from child_warehouse.ingest.loader import raw_columns

    columns = [c for c in canonical_columns(kind) if c != "disaggregation"]
    values = {c: _cell(mapping.positions.get(c)) for c in columns}
    if kind == "indicator_report":
        position = mapping.positions.get("disaggregation")
        stripped = (
            sql.SQL("nullif(regexp_replace(cells[{}], %(strip)s, '', 'g'), '')").format(
                sql.Literal(position + 1)
            )
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
    # cells past the header's width, as `_cell_<n>`, where not empty
    objects.append(
        sql.SQL(
            "case when cardinality(cells) > {width} then coalesce((select jsonb_object_agg('_cell_' || "
            "(n + {width}), c) from unnest(cells[{first}:]) with ordinality as u(c, n) where c <> ''), "
            "'{{}}'::jsonb) else '{{}}'::jsonb end"
        ).format(width=sql.Literal(width), first=sql.Literal(width + 1))
    )
    extra = sql.SQL("nullif(jsonb_strip_nulls({}), '{{}}'::jsonb)").format(sql.SQL(" || ").join(objects))
    target = raw_columns(kind)
    selected = [sql.Literal(submission_id), sql.SQL("ord + 1")] + [values[c] for c in target[2:-1]] + [extra]
    cur.execute(
        sql.SQL("insert into {} ({}) select {} from csv_rows order by ord").format(
            sql.Identifier("raw", kind),
            sql.SQL(", ").join(map(sql.Identifier, target)),
            sql.SQL(", ").join(selected),
        ),
        {"strip": f"^[{PY_SPACE}]+|[{PY_SPACE}]+$"},
    )
    return cur.rowcount


def _note_rows(conn, report: LoadReport, headers: list[str], mapping: HeaderMap, submission_id: int) -> None:
    """The row-by-row reader's issues, in its order (by row: another width than the header, then
    formula-like cells by column, then IDs), for the candidate rows a query finds, into the report's
    bounded list; streamed, so a hostile file with a formula in every cell is read in bounded memory."""
    from child_warehouse.ingest.loader import ID_COLUMNS, cell_notes, malformed, note_as_issue

    width = len(headers)
    # a cell starting as a formula would, anywhere in the row ("-" last: not a range in the class)
    firsts = "".join(sorted(safety.FORMULA_FIRST_CHARACTERS, key=lambda c: c == "-"))
    ids = [
        sql.SQL("cells[{}]").format(sql.Literal(mapping.positions[c] + 1))
        for c in ID_COLUMNS
        if c in mapping.positions
    ]
    with conn.cursor(name="csv_copy_notes") as cur:
        cur.itersize = 10_000
        query = sql.SQL(
            """select ord + 1, cells from csv_rows
               where cardinality(cells) <> %(width)s
                  or array_to_string(cells, E'\\x1f') ~ %(formula)s
                  or array_to_string(array[{}]::text[], '') ~ '[eE]'
               order by ord"""
        ).format(sql.SQL(", ").join(ids))
        cur.execute(query, {"width": width, "formula": f"(^|\x1f)[{firsts}]"})
        for row, cells in cur:
            if len(cells) != width:
                report.add_issue(malformed(submission_id, row, len(cells), width))
            for note in cell_notes(row, headers, cells, mapping):
                report.add_issue(note_as_issue(submission_id, note))
