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

    def facts(self, *, quoted: bool = True) -> list[tuple[str, str, str]]:
        """(Vietnamese label, English label, value) of each fact known, delimiter and sheet quoted
        unless `quoted` is false: the one list every display of a reading is made from."""

        def shown(value: str) -> str:
            return f"'{value}'" if quoted else value

        facts = [
            ("Mã hóa", "Encoding", self.encoding),
            ("Dấu phân cách", "Delimiter", self.delimiter and shown(self.delimiter)),
            ("Trang tính", "Sheet", self.sheet and shown(self.sheet)),
            ("Dòng tiêu đề", "Header row", self.header_row and str(self.header_row)),
        ]
        return [(vi, en, value) for vi, en, value in facts if value]

    def describe(self) -> str:
        """One line for logs and reports: "encoding utf-8, delimiter ';', header row 1"."""
        return ", ".join(f"{en.lower()} {value}" for _, en, value in self.facts()) or "–"

    def as_ledger(self) -> dict[str, object]:
        from psycopg2.extras import Json

        return {
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet_name": self.sheet,
            "header_row": self.header_row,
            "headers": Json(self.headers) if self.headers else None,
        }
