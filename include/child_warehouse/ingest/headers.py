"""Match the headers a province wrote to the contract's canonical column names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from child_warehouse.contract.columns import header_spellings, required_columns


def fold(text: str) -> str:
    """Fold a header for matching: NFC, Đ→D, no diacritics, lowercase, single underscores."""
    text = unicodedata.normalize("NFC", text).replace("Đ", "D").replace("đ", "d").replace("\u00d0", "D")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", stripped.lower()).strip("_")


@cache
def _aliases(submission_type: str, section: str = "columns") -> dict[str, str]:
    aliases: dict[str, str] = {}
    for canonical, vietnamese in header_spellings(submission_type, section).items():
        aliases[fold(canonical)] = canonical
        for header in vietnamese:
            aliases[fold(header)] = canonical
    return aliases


@dataclass(frozen=True)
class HeaderMap:
    """Where each canonical column sits in the file, the form's descriptive columns (kept as sent),
    and the headers nobody expected."""

    positions: dict[str, int]
    unknown: dict[str, int]
    wide_positions: dict[str, int]
    form: dict[str, int] = field(default_factory=dict)

    def kept_as_sent(self) -> dict[str, int]:
        """The columns the warehouse keeps in `extra_columns`, by the header as written."""
        return {**self.form, **self.unknown}

    def missing(self, submission_type: str) -> list[str]:
        needed = required_columns(submission_type)
        if self.wide_positions:  # the XLSX form carries values in Tổng số/Nam/Nữ, not `value`
            needed = [c for c in needed if c != "value"]
        return [c for c in needed if c not in self.positions]


def map_headers(submission_type: str, headers: list[str]) -> HeaderMap:
    """Map each header to its canonical name; the first occurrence of a duplicate wins."""
    aliases = _aliases(submission_type)
    wide = _aliases(submission_type, "wide_form")
    described = _aliases(submission_type, "form_columns")
    positions: dict[str, int] = {}
    unknown: dict[str, int] = {}
    wide_positions: dict[str, int] = {}
    form: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = fold(header or "")
        if key in aliases and aliases[key] not in positions:
            positions[aliases[key]] = index
        elif key in wide and wide[key] not in wide_positions:
            wide_positions[wide[key]] = index
        elif key in described and (header or "").strip() not in form:
            form[(header or "").strip()] = index
        elif key:
            unknown[(header or "").strip()] = index
    return HeaderMap(positions, unknown, wide_positions, form)


def looks_like_header(submission_type: str, cells: list[str]) -> bool:
    """A row is the header when it names two required columns, or the indicator form's code and a total."""
    mapped = map_headers(submission_type, cells)
    named = set(mapped.positions) & set(required_columns(submission_type))
    return len(named) >= 2 or (len(named) == 1 and bool(mapped.wide_positions))
