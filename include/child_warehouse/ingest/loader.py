"""Stream one submission file into its raw table with COPY, in one transaction."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from psycopg2 import sql

from child_warehouse.ingest import errors
from child_warehouse.ingest.headers import HeaderMap, allows_nil_return, canonical_columns, map_headers
from child_warehouse.ingest.readers import Table, as_text_stream, read_table

_ROWS_PER_CHUNK = 5000


@dataclass
class LoadReport:
    """What one file contributed: rows loaded, columns nobody expected, rows that were malformed."""

    rows_loaded: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    row_issues: list[tuple] = field(default_factory=list)


def _malformed(submission_id: int, row: int, found: int, expected: int) -> tuple:
    return (
        submission_id,
        row,
        None,
        f"{found} ô / {found} cells",
        "malformed_row",
        "error",
        f"Dòng {row} có {found} ô nhưng tiêu đề có {expected} cột; dữ liệu có thể bị lệch cột.",
        f"Row {row} has {found} cells but the header has {expected} columns; values may be shifted.",
    )


def _records(
    table: Table, mapping: HeaderMap, submission_type: str, submission_id: int, report: LoadReport
) -> Iterator[list]:
    """Yield raw-table rows: canonical values as text, unknown columns kept in extra_columns."""
    columns = [c for c in canonical_columns(submission_type) if c != "disaggregation"]
    width = len(table.headers)
    for row_number, cells in table.rows:
        if len(cells) != width:
            report.row_issues.append(_malformed(submission_id, row_number, len(cells), width))
        extra = {name: cells[i] for name, i in mapping.unknown.items() if i < len(cells) and cells[i]}
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


def copy_file_into_raw(conn, path: Path, submission_type: str, submission_id: int) -> LoadReport:
    """Replace the submission's raw rows with the file's; the caller's transaction holds it all."""
    table = read_table(path, submission_type)
    mapping = map_headers(submission_type, table.headers)
    missing = mapping.missing(submission_type)
    if missing:
        raise errors.FileRejected(errors.missing_columns(path.name, missing))
    report = LoadReport(unknown_columns=list(mapping.unknown))
    target = sql.Identifier("raw", submission_type)
    column_list = sql.SQL(", ").join(map(sql.Identifier, raw_columns(submission_type)))
    rows = _records(table, mapping, submission_type, submission_id, report)
    with conn.cursor() as cur:
        cur.execute(sql.SQL("delete from {} where submission_id = %s").format(target), (submission_id,))
        cur.copy_expert(
            sql.SQL("copy {} ({}) from stdin with (format csv, null '')")
            .format(target, column_list)
            .as_string(conn),
            as_text_stream(_csv_chunks(rows)),
        )
    if report.rows_loaded == 0 and not allows_nil_return(submission_type):
        raise errors.FileRejected(errors.empty_file(path.name))
    return report
