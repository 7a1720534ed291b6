"""How a submission file was read, as the ledger keeps it (encoding, delimiter, sheet, header)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reading:
    """How a file was read, as the ledger keeps it: encoding, delimiter, sheet, the header's row and
    each contract column with the header the file wrote for it."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """One line for logs and the terminal: 'encoding utf-8, delimiter ';', header on row 1'."""
        parts = []
        if self.encoding:
            parts.append(f"encoding {self.encoding}")
        if self.delimiter:
            parts.append(f"delimiter '{self.delimiter}'")
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.header_row:
            parts.append(f"header on row {self.header_row}")
        return ", ".join(parts) or "no reading facts"

    def as_ledger(self) -> dict[str, object]:
        from psycopg2.extras import Json

        return {
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet_name": self.sheet,
            "header_row": self.header_row,
            "headers": Json(self.headers) if self.headers else None,
        }
