"""What every reader returns: a header, a stream of numbered rows of text, and notes on cells."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from child_warehouse.contract.reading import Reading
from child_warehouse.contract.reasons import RowNote

__all__ = ["Reading", "Table"]


@dataclass
class Table:
    """A file's header (with its row number as the officer sees it) and its data rows.

    `notes` fills while `rows` is consumed: a reader reports what it saw in a cell (a code Excel
    stored as a number) without holding the rows. `encoding`, `delimiter` and `sheet` say how the
    file was read (None where the format has no such thing).
    """

    header_row: int
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    notes: list[RowNote] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
