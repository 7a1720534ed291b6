"""Writes a file's rows in the province's dialect as CSV (any encoding), XLSX or JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from child_warehouse.synth.dialects import SEX_STYLES, YES_NO_STYLES, Dialect
from child_warehouse.synth.faults import BLANK_CELLS
from child_warehouse.synth.legacy import ENCODERS
from child_warehouse.synth.profiles import LETTERS
from child_warehouse.synth.render import Rows
from child_warehouse.synth.xlsx import write_xlsx

BOOL_COLUMNS = ("at_risk", "supported", "has_disability", "has_health_insurance", "birth_registered")
DATE_COLUMNS = ("date_of_birth", "updated_on", "occurred_on", "detected_on", "intervened_on")
TITLES = {
    "child_records": "DANH SÁCH TRẺ EM",
    "protection_cases": "DANH SÁCH VỤ VIỆC XÂM HẠI, TAI NẠN TRẺ EM",
    "indicator_report": "BÁO CÁO CÁC CHỈ TIÊU VỀ TRẺ EM",
}


@dataclass(frozen=True)
class Layout:
    """How a file is written; ``first_row`` is the row number the officer sees for the first record."""

    fmt: str  # csv, xlsx, json
    encoding: str  # for CSV: utf-8, utf-8-sig, tcvn3, vni, cp1258
    dialect: Dialect

    def first_row(self, titles: int = 2) -> int:
        return {"csv": 2, "xlsx": titles + 2, "json": 1}[self.fmt]


def format_dates(style: str, values: np.ndarray) -> list[str]:
    if style == "iso":
        return list(values)
    if style == "dmy_short":
        return [f"{int(v[8:10])}/{int(v[5:7])}/{v[:4]}" if v else "" for v in values.tolist()]
    return [f"{v[8:10]}/{v[5:7]}/{v[:4]}" if v else "" for v in values.tolist()]


def _groups(style: str, values: np.ndarray) -> list[str]:
    if style == "number":
        numbers = {letter: str(i) for i, letter in enumerate(LETTERS, 1)}
        return [";".join(numbers[x] for x in v.split(";")) if v else "" for v in values.tolist()]
    if style == "letter_dd":
        return [v.replace("đ", "dd") for v in values.tolist()]
    return list(values)


_SPACES = tuple(blank for blank in BLANK_CELLS if blank)


def format_column(name: str, values: np.ndarray, dialect: Dialect, ethnic_names: dict[str, str]) -> list[str]:
    """The column as the province's software writes it; a cell of spaces only (a required cell left
    blank: faults.BLANK_CELLS) as it is."""
    at = np.flatnonzero(np.isin(values, _SPACES)) if values.dtype == object else []
    if not len(at):
        return _format_column(name, values, dialect, ethnic_names)
    cleared = values.copy()
    cleared[at] = ""
    formatted = _format_column(name, cleared, dialect, ethnic_names)
    for i in at.tolist():
        formatted[i] = values[i]
    return formatted


def _format_column(
    name: str, values: np.ndarray, dialect: Dialect, ethnic_names: dict[str, str]
) -> list[str]:
    if name in DATE_COLUMNS:
        return format_dates(dialect.date_style, values)
    if name in BOOL_COLUMNS:
        yes, no = YES_NO_STYLES[dialect.yes_no_style]
        return [yes if v else no for v in values.tolist()]
    if name == "sex":
        male, female = SEX_STYLES[dialect.sex_style]
        spelt = {"male": male, "female": female, "": ""}  # empty: a required cell left blank
        return [spelt[v] for v in values.tolist()]
    if name == "special_circumstances":
        return _groups(dialect.circumstance_style, values)
    if name == "ethnicity_code" and dialect.ethnicity_style == "name":
        return [ethnic_names[v] for v in values.tolist()]
    return list(values)


def _csv_text(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def broken(rows: list[list[str]], indices: np.ndarray) -> None:
    """Malformed rows: a cell lost (a missed separator) or one too many (a stray separator in a name)."""
    for i in indices.tolist():
        rows[i] = rows[i][:-1] if i % 2 else [*rows[i], rows[i][-1]]


def write_records(
    path: Path,
    kind: str,
    rows: Rows,
    layout: Layout,
    *,
    meta: dict[str, str],
    ethnic_names: dict[str, str],
    malformed: np.ndarray,
) -> Path:
    """Writes ``rows`` (a record type) under ``path`` with the layout's suffix; returns the file."""
    dialect, names = layout.dialect, list(rows.columns)
    cells = [format_column(n, rows.columns[n], dialect, ethnic_names) for n in names]
    table = [list(row) for row in zip(*cells, strict=True)]
    target = path.parent / f"{path.name}.{layout.fmt}"  # not with_suffix: "child_records.v2" has a dot
    if layout.fmt == "json":
        records = [dict(zip(names, row, strict=True)) for row in table]
        target.write_text(json.dumps({**meta, "records": records}, ensure_ascii=False), encoding="utf-8")
        return target
    header = [dialect.header(n, in_cases=kind == "protection_cases") for n in names]
    if layout.fmt == "xlsx":
        titles = [TITLES[kind], f"Tỉnh: {meta['province_code']} - Kỳ báo cáo: {meta['period']}"]
        write_xlsx(target, "DuLieu", titles, header, table)
        return target
    broken(table, malformed)
    target.write_bytes(ENCODERS[layout.encoding](_csv_text(header, table, dialect.delimiter)))
    return target
