"""Refuse hostile files in bounded time and memory: oversize, zip bombs, XML entities, formula cells."""

from __future__ import annotations

import re
import zipfile
from typing import BinaryIO

from child_warehouse import settings
from child_warehouse.contract import reasons

# An XLSX's parts, uncompressed: a 1M-row, 20-column sheet is about 1 GB of XML.
MAX_XLSX_UNCOMPRESSED = 4 * 1024**3
# Sheet XML compresses 10–30×; a few hundred is a bomb (zeros compress about 1000×).
MAX_COMPRESSION_RATIO = 200
MAX_XLSX_MEMBERS = 10_000
# A document type declaration can only come before the root element; the prolog is tiny in Excel's.
PROLOG_BYTES = 64 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Checked on every cell of a national file: a set lookup first, the full test only for candidates.
FORMULA_FIRST_CHARACTERS = frozenset(_FORMULA_START)
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*")
_ROOT_ELEMENT = re.compile(rb"<[A-Za-z_]")
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# A cell whose cached value is an error (#DIV/0!, #N/A, ...): `<c r="B7" t="e">`
_ERROR_CELL = re.compile(rb"""<c\s[^>]*\bt\s*=\s*["']e["']""")
_SCAN_CHUNK = 1024**2


def check_size(file_name: str, size: int, limit: int | None = None) -> None:
    """Refuse a file above the limit (CHILD_WAREHOUSE_MAX_FILE_BYTES unless given)."""
    limit = limit or settings.max_file_bytes()
    if size > limit:
        raise reasons.FileRejected(reasons.oversize(file_name, size, limit))


def _refuse(file_name: str, vi: str, en: str) -> reasons.FileRejected:
    return reasons.FileRejected(reasons.unsafe_xlsx(file_name, vi, en))


def check_zip_sizes(archive: zipfile.ZipFile, file_name: str) -> None:
    """Declared sizes, member count and compression ratios, before anything is decompressed."""
    members = archive.infolist()
    if len(members) > MAX_XLSX_MEMBERS:
        raise _refuse(file_name, f"{len(members)} phần trong tệp nén", f"{len(members)} parts in the archive")
    total = sum(m.file_size for m in members)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise _refuse(
            file_name,
            f"giải nén ra {total:,} byte, vượt giới hạn",
            f"it would expand to {total:,} bytes, over the limit",
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024**2 and ratio > MAX_COMPRESSION_RATIO:
            raise _refuse(
                file_name,
                f"phần {member.filename} nén {ratio:.0f} lần (tệp nén độc hại)",
                f"part {member.filename} is compressed {ratio:.0f}× (a zip bomb)",
            )


def check_xml_prologs(archive: zipfile.ZipFile, file_name: str) -> None:
    """No DOCTYPE/ENTITY before any XML part's root element: no entity expansion, no external entity."""
    for member in archive.infolist():
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(member) as part:
            # zipfile never yields more than the declared size; the read is bounded either way.
            head = part.read(PROLOG_BYTES)
        root = _ROOT_ELEMENT.search(head)
        prolog = head[: root.start()] if root else head
        if _DECLARATION.search(prolog) or (root is None and len(head) == PROLOG_BYTES):
            raise _refuse(
                file_name,
                f"phần {member.filename} khai báo DOCTYPE/ENTITY",
                f"part {member.filename} declares a DOCTYPE or ENTITY (XML entity expansion)",
            )


def has_error_cells(handle: BinaryIO) -> bool:
    """Any worksheet holds a cell whose value is a spreadsheet error; streamed, bounded memory.

    Call after `check_xlsx` (the sizes and prologs are checked); rewinds the handle."""
    try:
        with zipfile.ZipFile(handle) as archive:
            for member in archive.infolist():
                if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
                    continue
                with archive.open(member) as part:
                    tail = b""
                    while chunk := part.read(_SCAN_CHUNK):
                        if _ERROR_CELL.search(tail + chunk):
                            return True
                        tail = chunk[-256:]  # a cell's start tag split between two chunks
        return False
    finally:
        handle.seek(0)


def check_xlsx(handle: BinaryIO, file_name: str) -> None:
    """Everything an XLSX must pass before any reader opens it; rewinds the handle."""
    try:
        with zipfile.ZipFile(handle) as archive:
            check_zip_sizes(archive, file_name)
            check_xml_prologs(archive, file_name)
    except zipfile.BadZipFile as error:
        detail = f"not an XLSX workbook ({error})"
        raise reasons.FileRejected(reasons.unreadable(file_name, detail)) from error
    finally:
        handle.seek(0)


def looks_like_formula(value: str) -> bool:
    """A cell a spreadsheet would evaluate if written back as is; plain signed numbers are not."""
    return value.startswith(_FORMULA_START) and _PLAIN_NUMBER.fullmatch(value) is None
