"""The department's sources in a national run: each fault where faults.csv says, and nowhere else."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import replace
from pathlib import Path

from child_warehouse.contract.columns import required_columns
from child_warehouse.synth import department
from child_warehouse.synth.department_national import write_department_sources
from child_warehouse.synth.faults import BLANK_CELLS, FaultRates
from child_warehouse.synth.legacy import DECODERS

CANONICAL = {written: column for column, written in department.HOTLINE_HEADERS.items()}


def _table(path: Path, encoding: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(DECODERS[encoding](path.read_bytes()), newline="")))
    return [CANONICAL.get(name, name) for name in rows[0]], rows[1:]


def test_required_cells_are_empty_exactly_where_faults_csv_says(tmp_path: Path) -> None:
    rates = replace(FaultRates(), required_cell_empty=0.05)
    written = write_department_sources(7, tmp_path, ["2025-Y", "2026-M10"], rates)
    rows_faulted = Counter((fault[0], fault[1]) for fault in written.faults)
    assert max(rows_faulted.values()) == 1  # one fault a row: a blank never lands on another fault's row
    blanks = {(f[0], int(f[1]), f[2]) for f in written.faults if f[3] == "required_cell_empty"}
    assert all(f[6] in BLANK_CELLS and f[5] for f in written.faults if f[3] == "required_cell_empty")
    assert {f[6] for f in written.faults if f[3] == "required_cell_empty"} == set(BLANK_CELLS)
    kinds = Counter()
    for relative, _, _, kind, _, _, encoding, *_ in written.submissions:
        header, rows = _table(tmp_path / relative, encoding)
        for number, row in enumerate(rows, 2):
            for column in required_columns(kind):
                empty = row[header.index(column)].strip() == ""
                assert empty == ((relative, number, column) in blanks), (relative, number, column)
                kinds[kind] += empty
    assert set(kinds) == {"commune_assessment", "programme_activities", "hotline_calls"}
    assert all(kinds.values())
    assert sum(kinds.values()) == len(blanks)


def test_with_no_blanks_every_other_draw_is_the_same(tmp_path: Path) -> None:
    """The blanks come from a stream of their own: switching them on changes no other fault or file."""
    others = {}
    for rate in (0.0, 0.05):
        rates = replace(FaultRates(), required_cell_empty=rate)
        written = write_department_sources(7, tmp_path / str(rate), ["2025-Y", "2026-M10"], rates)
        others[rate] = [fault for fault in written.faults if fault[3] != "required_cell_empty"]
    assert others[0.0] == others[0.05]
    assert others[0.0]
