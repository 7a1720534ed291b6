"""Reads a national run back: truth files, and submission files in any format and encoding."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl

from child_warehouse.synth.legacy import DECODERS

from .helpers import CONTRACT_HEADERS, read_csv


def truth(root: Path, name: str) -> list[dict[str, str]]:
    folder = "register" if name == "persons" else "truth"
    return read_csv(root / folder / f"{name}.csv")


def submissions(root: Path) -> dict[str, dict[str, str]]:
    return {row["file"]: row for row in truth(root, "submissions")}


def _canonical(header: str) -> str:
    return CONTRACT_HEADERS.get(header, header)


def read_cells(path: Path, encoding: str) -> tuple[int, list[list[str]], list[str]]:
    """First data row's number as the officer sees it, the data rows, and the canonical header."""
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data.get("records") or data.get("values") or []
        header = list(items[0]) if items else []
        return 1, [[str(item[key]) for key in header] for item in items], header
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        values = [["" if v is None else str(v) for v in row] for row in sheet.values]
        return 4, values[3:], [_canonical(h) for h in values[2]]
    text = DECODERS[encoding](path.read_bytes())
    first = text.split("\r\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return 2, rows[1:], [_canonical(h) for h in rows[0]]
