"""The landing root as a local folder or any fsspec URL (memory://, s3://): list, stat, open, hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import fsspec
from fsspec.implementations.local import LocalFileSystem

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Blob:
    """One stored file by URL (a plain path is a local file): what readers open."""

    url: str

    @property
    def name(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]

    def _fs(self) -> tuple[fsspec.AbstractFileSystem, str]:
        return fsspec.core.url_to_fs(self.url)

    def open(self) -> BinaryIO:
        fs, path = self._fs()
        return fs.open(path, "rb")

    def size(self) -> int:
        fs, path = self._fs()
        return int(fs.size(path))


@dataclass(frozen=True)
class Listed:
    """A file under the root: its path relative to the root, its URL and what the store says of it."""

    relative_path: str
    url: str
    size_bytes: int
    modified_at: dt.datetime
    escapes_root: bool


def _modified(info: dict) -> dt.datetime:
    for key in ("mtime", "LastModified", "last_modified", "created", "updated"):
        value = info.get(key)
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        if isinstance(value, int | float):
            return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC)  # a store that keeps no time: arrival is when we first saw it


def _escapes(fs: fsspec.AbstractFileSystem, root: str, path: str) -> bool:
    """A local symlink (file or folder) that leads outside the landing root."""
    if not isinstance(fs, LocalFileSystem):
        return False
    real_root = os.path.realpath(root)
    return os.path.commonpath([real_root, os.path.realpath(path)]) != real_root


def list_files(root_url: str) -> Iterator[Listed]:
    """Every file under the root in a stable order; an absent root lists nothing."""
    fs, root = fsspec.core.url_to_fs(root_url)
    if not fs.exists(root):
        return
    root = root.rstrip("/")
    protocol = fs.protocol[0] if isinstance(fs.protocol, tuple | list) else fs.protocol
    for path, info in sorted(fs.find(root, detail=True, withdirs=False).items()):
        relative = path[len(root) :].lstrip("/")
        # Local files keep the percent-encoded file URI the ledger has always held.
        url = Path(path).as_uri() if isinstance(fs, LocalFileSystem) else fs.unstrip_protocol(path)
        if protocol == "memory" and not url.startswith("memory://"):
            url = f"memory://{path}"
        yield Listed(relative, url, int(info.get("size") or 0), _modified(info), _escapes(fs, root, path))


def sha256_of(blob: Blob) -> str:
    digest = hashlib.sha256()
    with blob.open() as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
