"""A minimal streaming XLSX writer (inline strings, title rows, merged title): fast at national scale."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _workbook(sheet: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {_NS} {_REL_NS}>'
        f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _entry(name: str) -> zipfile.ZipInfo:
    """A fixed timestamp inside the zip, so the same seed gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def write_xlsx(
    path: Path, sheet: str, titles: Sequence[str], header: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Title rows (the first merged across the header's width), then the header; returns its row."""
    header_row = len(titles) + 1
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr(_entry("[Content_Types].xml"), _CONTENT_TYPES)
        book.writestr(_entry("_rels/.rels"), _ROOT_RELS)
        book.writestr(_entry("xl/workbook.xml"), _workbook(sheet))
        book.writestr(_entry("xl/_rels/workbook.xml.rels"), _WORKBOOK_RELS)
        with book.open(_entry("xl/worksheets/sheet1.xml"), "w") as handle:
            handle.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {_NS}>'
                "<sheetData>".encode()
            )
            for line in [*([title] for title in titles), header]:
                handle.write(f"<row>{''.join(map(_cell, line))}</row>".encode())
            for row in rows:
                handle.write(f"<row>{''.join(map(_cell, row))}</row>".encode())
            last = column_letter(max(len(header) - 1, 0))
            merge = f'<mergeCells count="1"><mergeCell ref="A1:{last}1"/></mergeCells>' if titles else ""
            handle.write(f"</sheetData>{merge}</worksheet>".encode())
    return header_row
