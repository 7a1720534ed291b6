"""Stream a submission's JSON document one record at a time, in bounded memory.

The contract's document is `{"province_code": ..., "period": ..., "records": [{...}, ...]}` (or
`values` for the indicator report). The standard library only parses whole documents, so this walks
the top-level object itself and hands each array element to `json.JSONDecoder.raw_decode`, reading
more text only when an element runs past the buffer. One element is never allowed to grow past
`MAX_ITEM_CHARS`: a record that large is damage or an attack, and the file is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

CHUNK_CHARS = 1 << 20
MAX_ITEM_CHARS = 1 << 20
ARRAY_KEYS = ("records", "values")
_WHITESPACE = " \t\n\r"
_decoder = json.JSONDecoder()


class JsonShapeError(ValueError):
    """The text is not the contract's JSON document; the message says where and why."""


class _Cursor:
    """A window on the text: the unread part of the current buffer, refilled on demand."""

    def __init__(self, text: TextIO) -> None:
        self._text = text
        self.buffer = ""
        self.pos = 0
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self._text.read(CHUNK_CHARS)
        if not chunk:
            self.eof = True
            return False
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end of the text)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._fill():
                return ""

    def expect(self, char: str, where: str) -> None:
        found = self.peek()
        if found != char:
            raise JsonShapeError(f"expected {char!r} {where}, found {found or 'end of file'!r}")
        self.pos += 1

    def value(self, where: str) -> object:
        """Decode one JSON value, reading more text while it is incomplete and still small enough."""
        self.peek()
        while True:
            try:
                value, end = _decoder.raw_decode(self.buffer, self.pos)
            except RecursionError as error:  # [[[[… thousands deep: a parser bomb, not a record
                raise JsonShapeError(f"{where}: nested too deeply") from error
            except json.JSONDecodeError as error:
                if len(self.buffer) - self.pos > MAX_ITEM_CHARS:
                    too_big = f"{where}: over {MAX_ITEM_CHARS:,} characters or malformed"
                    raise JsonShapeError(too_big) from error
                if not self._fill():
                    raise JsonShapeError(f"{where}: {error.msg}") from error
                continue
            # A number at the buffer's edge may continue in the next chunk ("12" then "34").
            if end == len(self.buffer) and not self.eof and self._fill():
                continue
            self.pos = end
            return value


def read_document(text: TextIO) -> tuple[dict[str, object], Iterator[object]]:
    """The top-level scalars (province_code, period, ...) read so far, and the array's elements.

    Scalars after the array are added to the first dict once the elements are exhausted.
    """
    cursor = _Cursor(text)
    cursor.expect("{", "at the start: the document must be an object with records/values")
    fields: dict[str, object] = {}

    def elements() -> Iterator[object]:
        found_array = False
        first = True
        while True:
            if cursor.peek() == "}":
                cursor.pos += 1
                break
            if not first:
                cursor.expect(",", "between the document's fields")
            first = False
            key = cursor.value("a field name")
            if not isinstance(key, str):
                raise JsonShapeError("a field name must be a string")
            cursor.expect(":", f"after field {key!r}")
            if key in ARRAY_KEYS and cursor.peek() == "[" and not found_array:
                found_array = True
                yield from _array(cursor, key)
            else:
                fields[key] = cursor.value(f"field {key!r}")
        if cursor.peek():
            raise JsonShapeError("text after the end of the document")

    return fields, elements()


def _array(cursor: _Cursor, key: str) -> Iterator[object]:
    cursor.expect("[", f"to open {key!r}")
    if cursor.peek() == "]":
        cursor.pos += 1
        return
    number = 0
    while True:
        number += 1
        yield cursor.value(f"{key} item {number}")
        if cursor.peek() == "]":
            cursor.pos += 1
            return
        cursor.expect(",", f"after {key} item {number}")
