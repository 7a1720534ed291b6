"""The landing zone's layout (submission contract §1): <province>/<period>/<type>[.<any>].<ext>."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from child_warehouse.ingest.errors import Reason, bad_path
from child_warehouse.ingest.headers import SUBMISSION_TYPES

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})-(?P<part>M(0[1-9]|1[0-2])|Q[1-4]|H1|9M|Y)$")
FORMATS = (".csv", ".xlsx", ".json")
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class LandedFile:
    """A file found under the landing root, read from its path and content."""

    relative_path: str
    uri: str
    size_bytes: int
    sha256: str
    arrived_at: dt.datetime
    province_code: str | None
    period: str | None
    submission_type: str | None
    problem: Reason | None


def classify(relative_path: str) -> tuple[str | None, str | None, str | None, Reason | None]:
    """Province, period and type from a path relative to the landing root, or why it does not fit."""
    parts = relative_path.split("/")
    if len(parts) != 3:
        return None, None, None, bad_path(relative_path, "sai số cấp thư mục", "wrong folder depth")
    province, period, name = parts
    if not re.fullmatch(r"\d{2}", province):
        return (
            None,
            None,
            None,
            bad_path(
                relative_path,
                f"mã tỉnh '{province}' không hợp lệ",
                f"'{province}' is not a 2-digit province code",
            ),
        )
    if not PERIOD_PATTERN.match(period):
        return (
            province,
            None,
            None,
            bad_path(
                relative_path,
                f"kỳ báo cáo '{period}' không hợp lệ",
                f"'{period}' is not a period such as 2026-M03, 2026-Q1",
            ),
        )
    stem, dot, extension = name.rpartition(".")
    submission_type = stem.split(".", 1)[0]
    if not dot or f".{extension.lower()}" not in FORMATS or submission_type not in SUBMISSION_TYPES:
        return (
            province,
            period,
            None,
            bad_path(
                relative_path,
                f"tên tệp '{name}' không đúng loại hoặc định dạng",
                f"'{name}' is not child_records, protection_cases or indicator_report as csv, xlsx or json",
            ),
        )
    return province, period, submission_type, None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def scan(root: Path) -> Iterator[LandedFile]:
    """Every file under the root except manifests and hidden files, in a stable order."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if path.name == "manifest.json" or any(part.startswith(".") for part in relative.split("/")):
            continue
        province, period, submission_type, problem = classify(relative)
        stat = path.stat()
        yield LandedFile(
            relative_path=relative,
            uri=path.resolve().as_uri(),
            size_bytes=stat.st_size,
            sha256=sha256_of(path),
            arrived_at=dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC),
            province_code=province,
            period=period,
            submission_type=submission_type,
            problem=problem,
        )
