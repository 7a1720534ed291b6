"""Read an XLSX submission: safety checks first, the DuLieu/BaoCao sheet, title rows, two-row headers.

python-calamine reads the cells; openpyxl only a workbook holding error cells (see `_openpyxl_sheet`)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator
from itertools import chain
from typing import BinaryIO

from child_warehouse.contract import reasons
from child_warehouse.ingest import safety
from child_warehouse.ingest.headers import map_headers
from child_warehouse.ingest.table import Table

SHEET_NAMES = ("DuLieu", "BaoCao")
# Columns holding codes: a number here means Excel dropped any leading zero.
CODE_COLUMNS = frozenset(
    {
        "record_id",
        "case_id",
        "commune_code",
        "ethnicity_code",
        "indicator_code",
        "personal_id",
        "caregiver_personal_id",
    }
)
HEADER_SEARCH_ROWS = 50


def cell_text(value: object) -> str:
    """A cell as the officer sees it: dates ISO, whole numbers without '.0', text as typed (NFD kept)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def combine_header_rows(parent: list[str], child: list[str]) -> list[str]:
    """Under a merged parent cell the child names the column; a cell merged down keeps the parent's."""
    width = max(len(parent), len(child))
    parent = parent + [""] * (width - len(parent))
    child = child + [""] * (width - len(child))
    return [c if c.strip() else p for p, c in zip(parent, child, strict=True)]


def _known(submission_type: str, headers: list[str]) -> int:
    mapped = map_headers(submission_type, headers)
    return len(mapped.positions) + len(mapped.wide_positions)


def find_header(
    submission_type: str, rows: list[list[str]], looks_like_header
) -> tuple[int, list[str]] | None:
    """(index of the last header row, headers) in the first rows; a second header row is merged in."""
    for index, cells in enumerate(rows):
        if not looks_like_header(submission_type, cells):
            continue
        if index + 1 < len(rows):
            combined = combine_header_rows(cells, rows[index + 1])
            if _known(submission_type, combined) > _known(submission_type, cells):
                return index + 1, combined
        return index, cells
    return None


def _numeric_codes(submission_type: str, headers: list[str]) -> dict[int, str]:
    """Position → canonical name of the columns that hold codes."""
    mapped = map_headers(submission_type, headers)
    return {position: name for name, position in mapped.positions.items() if name in CODE_COLUMNS}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _chosen(names: list[str]) -> str:
    return next((n for n in SHEET_NAMES if n in names), names[0])


def _unreadable(file_name: str, error: Exception) -> reasons.FileRejected:
    return reasons.FileRejected(reasons.unreadable(file_name, type(error).__name__))


def _calamine_sheet(handle: BinaryIO, file_name: str) -> tuple[str, Iterator[list], Callable[[], None]]:
    """python-calamine (Rust): about ten times openpyxl's speed, and it reads every row the sheet has
    (openpyxl's read-only mode stops at the row its `<dimension>` element names)."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    try:
        book = CalamineWorkbook.from_filelike(handle)
        names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        sheet = book.get_sheet_by_name(_chosen(names or book.sheet_names))
        rows = sheet.to_python(skip_empty_area=False)  # from A1, as the officer numbers rows and columns
    except (CalamineError, ValueError, OSError) as error:  # a damaged or password-protected workbook
        raise _unreadable(file_name, error) from error
    return sheet.name, iter(rows), book.close


def _openpyxl_sheet(handle: BinaryIO, file_name: str) -> tuple[str, Iterator[tuple], Callable[[], None]]:
    """openpyxl, for a workbook with error cells: it gives "#DIV/0!" as the cell shows, where
    python-calamine gives an empty cell, which would silently alter what the province sent."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise _unreadable(file_name, error) from error
    sheet = (
        book[_chosen(book.sheetnames)]
        if any(n in book.sheetnames for n in SHEET_NAMES)
        else book.worksheets[0]
    )
    sheet.reset_dimensions()  # read every row, whatever the file's `<dimension>` claims
    return sheet.title, sheet.iter_rows(values_only=True), book.close


def _open_sheet(handle: BinaryIO, file_name: str) -> tuple[str, Iterator, Callable[[], None]]:
    """The hostile-file checks first, then the sheet's title, its rows of values, and how to close it."""
    safety.check_xlsx(handle, file_name)
    if safety.has_error_cells(handle):
        return _openpyxl_sheet(handle, file_name)
    return _calamine_sheet(handle, file_name)


def read_xlsx(handle: BinaryIO, file_name: str, submission_type: str, looks_like_header) -> Table:
    """The sheet named DuLieu/BaoCao or else the first; title rows above the header are skipped."""
    title, values_iter, close = _open_sheet(handle, file_name)
    head = [list(v) for _, v in zip(range(HEADER_SEARCH_ROWS), values_iter, strict=False)]
    found = find_header(
        submission_type,
        [[unicodedata.normalize("NFC", cell_text(v)) for v in r] for r in head],
        looks_like_header,
    )
    if found is None:
        close()
        handle.close()
        raise reasons.FileRejected(reasons.no_header(file_name))
    last_header, headers = found
    codes = _numeric_codes(submission_type, headers)
    notes: list[reasons.RowNote] = []

    def rows() -> Iterator[tuple[int, list[str]]]:
        numbered = enumerate(chain(head[last_header + 1 :], values_iter), start=last_header + 2)
        try:
            for number, values in numbered:
                cells = [cell_text(v) for v in values]
                if not any(c.strip() for c in cells):
                    continue
                for position, column in codes.items():
                    if position < len(values) and _is_number(values[position]):
                        notes.append(
                            reasons.number_typed_code(number, column, cells[position], headers[position])
                        )
                yield number, cells
        finally:
            close()
            handle.close()

    return Table(last_header + 1, headers, rows(), notes, sheet=title)
