"""Stream one submission file into its raw table with COPY, in one transaction."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
from psycopg2 import sql

from child_warehouse.contract import reasons
from child_warehouse.contract.columns import allows_nil_return, canonical_columns
from child_warehouse.dq import RowIssue
from child_warehouse.ingest import csvcopy, safety
from child_warehouse.ingest.headers import HeaderMap, map_headers
from child_warehouse.ingest.readers import Table, as_stream, read_table
from child_warehouse.ingest.table import Reading
from child_warehouse.storage import Blob

_ROWS_PER_CHUNK = 5000
MAX_ROW_ISSUES = 100_000
ID_COLUMNS = ("personal_id", "caregiver_personal_id")
_SCIENTIFIC = re.compile(r"\s*\d(?:[.,]\d+)?[eE]\+?\d+\s*")


@dataclass
class LoadReport:
    """What one file contributed: rows loaded, columns nobody expected, rows that were malformed."""

    rows_loaded: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    row_issues: list[RowIssue] = field(default_factory=list)
    issues_not_kept: int = 0
    reading: Reading = field(default_factory=Reading)
    # rows by commune cell as loaded, when the reader counted them on the way (else the file-level
    # check counts them in the raw table)
    commune_rows: dict[str | None, int] | None = None

    def add_issue(self, issue: RowIssue) -> None:
        """Keep a bounded number: a hostile file with a formula in every cell must not exhaust memory."""
        if len(self.row_issues) < MAX_ROW_ISSUES:
            self.row_issues.append(issue)
        else:
            self.issues_not_kept += 1


def malformed(submission_id: int, row: int, found: int, expected: int) -> RowIssue:
    return RowIssue(
        submission_id,
        row,
        None,
        f"{found} ô / {found} cells",
        "malformed_row",
        "error",
        f"Dòng {row} có {found} ô nhưng tiêu đề có {expected} cột; dữ liệu có thể bị lệch cột.",
        f"Row {row} has {found} cells but the header has {expected} columns; values may be shifted.",
    )


def _with_issues_not_kept(report: LoadReport, submission_id: int) -> LoadReport:
    """The report, with one closing line counting the issues its bounded list did not keep."""
    if report.issues_not_kept:
        report.row_issues.append(_issues_not_kept(submission_id, report.issues_not_kept))
    return report


def _issues_not_kept(submission_id: int, count: int) -> RowIssue:
    return RowIssue(
        submission_id,
        None,
        None,
        str(count),
        "too_many_row_issues",
        "warning",
        f"Còn {count} vấn đề khác ở các dòng không được liệt kê; hãy sửa các lỗi trên rồi gửi lại.",
        f"{count} further row issues are not listed; fix the ones above and send the file again.",
    )


def note_as_issue(submission_id: int, note: reasons.RowNote) -> RowIssue:
    return RowIssue(
        submission_id,
        note.row,
        note.column,
        note.value,
        note.rule,
        note.severity,
        note.reason.vi,
        note.reason.en,
    )


def cell_notes(row: int, headers: list[str], cells: list[str], mapping: HeaderMap) -> list[reasons.RowNote]:
    """Formula-like cells (any column) and IDs Excel turned into scientific notation."""
    canonical = {i: name for name, i in mapping.positions.items()}
    notes = []
    for i, cell in enumerate(cells):
        if cell[:1] in safety.FORMULA_FIRST_CHARACTERS and safety.looks_like_formula(cell):
            header = headers[i] if i < len(headers) else f"#{i + 1}"
            notes.append(reasons.formula_cell(row, canonical.get(i, header), cell, header))
    for column in ID_COLUMNS:
        position = mapping.positions.get(column)
        if position is not None and position < len(cells) and _SCIENTIFIC.fullmatch(cells[position]):
            notes.append(reasons.scientific_id(row, column, cells[position], headers[position]))
    return notes


def _records(
    table: Table,
    mapping: HeaderMap,
    submission_type: str,
    submission_id: int,
    *,
    report: LoadReport,
    file_name: str,
) -> Iterator[list]:
    """Yield raw-table rows: canonical values as text, the form's descriptive and unknown columns kept
    in extra_columns."""
    columns = [c for c in canonical_columns(submission_type) if c != "disaggregation"]
    width = len(table.headers)
    canonical = {i: name for name, i in mapping.positions.items()}
    for row_number, cells in table.rows:
        if len(cells) != width:
            report.add_issue(malformed(submission_id, row_number, len(cells), width))
        if "\x00" in "".join(cells):  # PostgreSQL text holds no NUL: a damaged file, refused with where
            i = next(i for i, cell in enumerate(cells) if "\x00" in cell)
            header = table.headers[i] if i < width else None
            raise reasons.FileRejected(
                reasons.nul_character(file_name, row_number, canonical.get(i, header), header)
            )
        for note in cell_notes(row_number, table.headers, cells, mapping):
            report.add_issue(note_as_issue(submission_id, note))
        extra = {name: cells[i] for name, i in mapping.kept_as_sent().items() if i < len(cells) and cells[i]}
        extra.update({f"_cell_{i + 1}": cells[i] for i in range(width, len(cells)) if cells[i]})
        values = [
            cells[mapping.positions[c]]
            if c in mapping.positions and mapping.positions[c] < len(cells)
            else None
            for c in columns
        ]
        report.rows_loaded += 1
        extra_json = json.dumps(extra, ensure_ascii=False) if extra else None
        if submission_type != "indicator_report":
            yield [submission_id, row_number, *values, extra_json]
            continue
        yield from _indicator_rows(cells, mapping, [submission_id, row_number], values, extra_json)


def _indicator_rows(
    cells: list[str], mapping: HeaderMap, key: list, values: list, extra_json: str | None
) -> Iterator[list]:
    """Long form passes through; the XLSX form's Tổng số/Nam/Nữ become one row each."""
    code, value, note = values  # indicator_code, value, note (canonical order without disaggregation)
    if not mapping.wide_positions:
        position = mapping.positions.get("disaggregation")
        disaggregation = cells[position].strip() if position is not None and position < len(cells) else ""
        yield [*key, code, disaggregation or "total", value, note, extra_json]
        return
    for disaggregation, position in mapping.wide_positions.items():
        cell = cells[position] if position < len(cells) else ""
        yield [*key, code, disaggregation, cell, note, extra_json]


def _csv_chunks(rows: Iterator[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for count, row in enumerate(rows, start=1):
        writer.writerow(["" if v is None else v for v in row])
        if count % _ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def raw_columns(submission_type: str) -> list[str]:
    columns = canonical_columns(submission_type)
    if submission_type == "indicator_report":
        columns = ["indicator_code", "disaggregation", "value", "note"]
    return ["submission_id", "source_row", *columns, "extra_columns"]


def reading_of(table: Table, mapping: HeaderMap) -> Reading:
    """How the file was read, with each contract column's header as the file wrote it."""
    headers = {name: table.headers[i] for name, i in {**mapping.positions, **mapping.wide_positions}.items()}
    return Reading(table.encoding, table.delimiter, table.sheet, table.header_row or None, headers)


def copy_file_into_raw(
    conn, source: Blob | Path | str, submission_type: str, submission_id: int
) -> LoadReport:
    """Replace the submission's raw rows with the file's; the caller's transaction holds it all.

    A refusal raised once the file was opened carries how it was read (`rejection.reading`). A CSV
    file goes set-based through COPY (csvcopy.py) unless its text needs the row-by-row reader."""
    blob = source if isinstance(source, Blob) else Blob(str(source))
    if blob.name.lower().endswith(".csv"):
        fast = csvcopy.try_copy(conn, blob, submission_type, submission_id)
        if fast is not None:
            return _with_issues_not_kept(fast, submission_id)
    table = read_table(source, submission_type)
    name = blob.name
    mapping = map_headers(submission_type, table.headers)
    reading = reading_of(table, mapping)
    try:
        return _copy(
            conn, table, mapping, reading, name=name, kind=submission_type, submission_id=submission_id
        )
    except reasons.FileRejected as rejection:
        rejection.reading = reading
        raise


def _copy(
    conn, table: Table, mapping: HeaderMap, reading: Reading, *, name: str, kind: str, submission_id: int
) -> LoadReport:
    missing = mapping.missing(kind)
    if missing:
        raise reasons.FileRejected(reasons.missing_columns(name, missing))
    report = LoadReport(unknown_columns=list(mapping.unknown), reading=reading)
    target = sql.Identifier("raw", kind)
    column_list = sql.SQL(", ").join(map(sql.Identifier, raw_columns(kind)))
    rows = _records(table, mapping, kind, submission_id, report=report, file_name=name)
    stream = as_stream(_csv_chunks(rows))
    with conn.cursor() as cur:
        cur.execute(sql.SQL("delete from {} where submission_id = %s").format(target), (submission_id,))
        try:
            cur.copy_expert(
                sql.SQL("copy {} ({}) from stdin with (format csv, null '')")
                .format(target, column_list)
                .as_string(conn),
                stream,
            )
        except psycopg2.Error:
            if stream.failure is not None:  # the file, not the database, stopped the COPY
                raise stream.failure from None
            raise
    for note in table.notes:
        report.add_issue(note_as_issue(submission_id, note))
    _with_issues_not_kept(report, submission_id)
    if report.rows_loaded == 0 and not allows_nil_return(kind):
        raise reasons.FileRejected(reasons.header_only(name, kind))
    return report
