"""The landing zone's layout (submission contract §1): <province>/<period>/<type>[.<any>].<ext>."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from child_warehouse import settings
from child_warehouse.contract import reasons
from child_warehouse.contract.columns import SUBMISSION_TYPES
from child_warehouse.contract.landed import LandedFile
from child_warehouse.contract.reasons import Reason, bad_path
from child_warehouse.storage import Blob, Listed, list_files, sha256_of

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})-(?P<part>M(0[1-9]|1[0-2])|Q[1-4]|H1|9M|Y)$")
FORMATS = (".csv", ".xlsx", ".json")
MANIFEST = "manifest.json"
MAX_NAME_BYTES = 255
MAX_PATH_CHARS = 1024


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


def unsafe_path_problem(relative_path: str) -> Reason | None:
    """Names that could trick a later step: control characters, '..', absolute paths, huge names."""
    shown = relative_path.encode("unicode_escape").decode("ascii")[:200]
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in relative_path):
        return bad_path(shown, "tên có ký tự điều khiển", "the name contains control characters")
    parts = relative_path.split("/")
    if relative_path.startswith(("/", "\\")) or ".." in parts or "\\" in relative_path:
        return bad_path(shown, "đường dẫn vượt ra ngoài thư mục", "the path leaves its folder")
    if len(relative_path) > MAX_PATH_CHARS or any(len(p.encode()) > MAX_NAME_BYTES for p in parts):
        return bad_path(shown, "tên quá dài", "the name is too long")
    return None


def _problem(listed: Listed) -> Reason | None:
    if listed.escapes_root:
        return bad_path(
            listed.relative_path,
            "liên kết trỏ ra ngoài vùng tiếp nhận",
            "a link that leads outside the landing root",
        )
    if listed.size_bytes > settings.max_file_bytes():
        return reasons.oversize(listed.relative_path, listed.size_bytes, settings.max_file_bytes())
    return unsafe_path_problem(listed.relative_path)


def _identity(listed: Listed, problem: Reason | None) -> str:
    # A file refused before reading is never hashed (bounded time); size and time still tell versions apart.
    if problem is not None:
        return f"unread:{listed.size_bytes}:{listed.modified_at.isoformat()}"
    return sha256_of(Blob(listed.url))


def scan(root: str | Path, include: Callable[[str], bool] | None = None) -> Iterator[LandedFile]:
    """Every file under the root except manifests and hidden files, in a stable order.

    `include`, when given, picks files by their relative path before anything is read or hashed
    (a backfill takes one year of a large archive at a time).
    """
    for listed in list_files(str(root)):
        relative = listed.relative_path
        if relative.rsplit("/", 1)[-1] == MANIFEST or any(p.startswith(".") for p in relative.split("/")):
            continue
        if include is not None and not include(relative):
            continue
        problem = _problem(listed)
        province, period, submission_type, layout_problem = classify(relative)
        problem = problem or layout_problem
        yield LandedFile(
            relative_path=relative,
            uri=listed.url,
            size_bytes=listed.size_bytes,
            sha256=_identity(listed, problem),
            arrived_at=listed.modified_at,
            province_code=province,
            period=period,
            submission_type=submission_type,
            problem=problem,
        )
