"""The landing zone's layout (submission contract §1): <province>/<period>/<type>[.<any>].<ext>."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from child_warehouse import settings
from child_warehouse.contract import reasons
from child_warehouse.contract.columns import NATIONAL, NATIONAL_TYPES, PERIOD_KINDS, SUBMISSION_TYPES
from child_warehouse.contract.landed import LandedApproval, LandedFile
from child_warehouse.contract.reasons import Reason, bad_path
from child_warehouse.contract.signoff_reasons import APPROVAL, MAX_APPROVAL_BYTES
from child_warehouse.storage import Blob, Listed, list_files, sha256_of

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})-(?P<part>M(0[1-9]|1[0-2])|Q[1-4]|H1|9M|Y)$")
FORMATS = (".csv", ".xlsx", ".json")
MANIFEST = "manifest.json"
MAX_NAME_BYTES = 255
MAX_PATH_CHARS = 1024

log = logging.getLogger(__name__)


def classify(relative_path: str) -> tuple[str | None, str | None, str | None, Reason | None]:
    """Province, period and type from a path relative to the landing root, or why it does not fit."""
    parts = relative_path.split("/")
    if len(parts) != 3:
        return None, None, None, bad_path(relative_path, "sai số cấp thư mục", "wrong folder depth")
    province, period, name = parts
    if not re.fullmatch(r"\d{2}", province) and province != NATIONAL:
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
                f"'{name}' is not one of {', '.join(SUBMISSION_TYPES)} as csv, xlsx or json",
            ),
        )
    return province, period, submission_type, _misplaced(relative_path, province, period, submission_type)


def _misplaced(relative_path: str, province: str, period: str, submission_type: str) -> Reason | None:
    """The hotline's files belong in the `national` folder and nowhere else; the assessment is yearly,
    the hotline monthly (contract §3.4–3.5)."""
    if (province == NATIONAL) != (submission_type in NATIONAL_TYPES):
        if province == NATIONAL:
            vi, en = (
                f"thư mục '{NATIONAL}' chỉ nhận {', '.join(NATIONAL_TYPES)}",
                (f"the '{NATIONAL}' folder takes only {', '.join(NATIONAL_TYPES)}"),
            )
        else:
            vi, en = (
                f"{submission_type} phải nằm trong thư mục '{NATIONAL}'",
                (f"{submission_type} belongs in the '{NATIONAL}' folder, not a province's"),
            )
        return bad_path(relative_path, vi, en)
    if submission_type in PERIOD_KINDS:
        part, kind_vi, kind_en = PERIOD_KINDS[submission_type]
        matched = PERIOD_PATTERN.match(period)
        if matched is not None and not matched.group("part").startswith(part):
            return bad_path(
                relative_path,
                f"{submission_type} được gửi theo kỳ {kind_vi}, không phải '{period}'",
                f"{submission_type} is sent for {kind_en}, not '{period}'",
            )
    return None


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


# What the ledger already knows: (file URI, size in bytes, modification time) -> the file's sha256.
Known = Mapping[tuple[str, int, dt.datetime], str]


def _identity(listed: Listed, problem: Reason | None, known: Known) -> str:
    # A file refused before reading is never hashed (bounded time); size and time still tell versions apart.
    if problem is not None:
        return f"unread:{listed.size_bytes}:{listed.modified_at.isoformat()}"
    # A file the ledger holds at this path with this size and modification time is not read again
    # (hashing every file of the landing zone each night grew with the archive, not with what came):
    # writing a file changes its modification time, so a replaced file is hashed and recorded.
    same = known.get((listed.url, listed.size_bytes, listed.modified_at))
    return same or sha256_of(Blob(listed.url))


# Names upload tools give a file while it is still being written, before renaming it into place
# (WinSCP .filepart, browsers .crdownload/.part, rsync's hidden .name.XXXX, Office's ~$ lock files).
ARRIVING_SUFFIXES = (".part", ".partial", ".filepart", ".crdownload", ".download", ".upload", ".tmp", ".temp")


def still_arriving_name(relative_path: str) -> bool:
    name = relative_path.rsplit("/", 1)[-1]
    return name.lower().endswith(ARRIVING_SUFFIXES) or name.startswith("~$")


def settled(files: list[Listed], root: str, settle_seconds: float, listed_at: dt.datetime) -> list[Listed]:
    """The files no longer being written: unchanged in size and modification time for `settle_seconds`.

    A file modified less than that long ago is looked at again once it has had the time (this waits,
    at most `settle_seconds`, and only when such a file exists); one that changed meanwhile is left
    for the next run. An upload that stalls longer than that is not told apart from a short file:
    upload under a temporary name and rename when done (ARRIVING_SUFFIXES), as SFTP clients do.
    """
    now = dt.datetime.now(dt.UTC)
    young = [f for f in files if (now - f.modified_at).total_seconds() < settle_seconds]
    if not young:
        return files
    oldest_young = min((now - f.modified_at).total_seconds() for f in young)
    time.sleep(max(0.0, settle_seconds - oldest_young))
    relisted_at = dt.datetime.now(dt.UTC)
    again = {f.relative_path: f for f in list_files(root)}

    def same(before: Listed, after: Listed) -> bool:
        # a store that keeps no modification time reports the listing's moment: compare sizes alone
        untimed = before.modified_at >= listed_at and after.modified_at >= relisted_at
        return before.size_bytes == after.size_bytes and (untimed or before.modified_at == after.modified_at)

    changed = set()
    for before in young:
        after = again.get(before.relative_path)
        if after is None or not same(before, after):
            changed.add(before.relative_path)
            log.warning(
                "Still being written, left for the next run: %s (%s within %.0f s)",
                before.relative_path,
                "gone" if after is None else f"{before.size_bytes} -> {after.size_bytes} bytes",
                settle_seconds,
            )
    return [f for f in files if f.relative_path not in changed]


def is_approval(relative_path: str) -> bool:
    """A province's sign-off file: `<province>/<period>/approval.json` (contract §7)."""
    parts = relative_path.split("/")
    return (
        len(parts) == 3
        and parts[2] == APPROVAL
        and re.fullmatch(r"\d{2}", parts[0]) is not None
        and PERIOD_PATTERN.match(parts[1]) is not None
    )


def scan_approvals(root: str | Path) -> Iterator[LandedApproval]:
    """Every province's sign-off file under the root, read (at most MAX_APPROVAL_BYTES) and hashed.

    One still being written (changed within CHILD_WAREHOUSE_SETTLE_SECONDS) is left for the next run,
    as a submission file is. An approval.json anywhere else is a misplaced file: `scan` refuses it."""
    listed_at = dt.datetime.now(dt.UTC)
    candidates = [f for f in list_files(str(root)) if is_approval(f.relative_path) and not f.escapes_root]
    for listed in settled(candidates, str(root), settings.settle_seconds(), listed_at):
        with Blob(listed.url).open() as handle:
            content = handle.read(MAX_APPROVAL_BYTES + 1)
        province, period, _ = listed.relative_path.split("/")
        yield LandedApproval(
            relative_path=listed.relative_path,
            uri=listed.url,
            sha256=hashlib.sha256(content).hexdigest(),
            arrived_at=listed.modified_at,
            province_code=province,
            period=period,
            content=content,
        )


def scan(
    root: str | Path, include: Callable[[str], bool] | None = None, known: Known | None = None
) -> Iterator[LandedFile]:
    """Every complete file under the root except manifests, sign-offs (`scan_approvals` reads them) and
    hidden files, in a stable order. `known` (ledger.known_files) spares hashing files already recorded.

    `include`, when given, picks files by their relative path before anything is read or hashed
    (a backfill takes one year of a large archive at a time). Files still arriving (a temporary
    upload name, or written within the last CHILD_WAREHOUSE_SETTLE_SECONDS) are not read: the next
    run records them once complete.
    """
    candidates = []
    listed_at = dt.datetime.now(dt.UTC)
    for listed in list_files(str(root)):
        relative = listed.relative_path
        if relative.rsplit("/", 1)[-1] == MANIFEST or any(p.startswith(".") for p in relative.split("/")):
            continue
        if is_approval(relative):
            continue
        if include is not None and not include(relative):
            continue
        if still_arriving_name(relative):
            log.info("Still arriving under a temporary name, left for the next run: %s", relative)
            continue
        candidates.append(listed)
    for listed in settled(candidates, str(root), settings.settle_seconds(), listed_at):
        relative = listed.relative_path
        problem = _problem(listed)
        province, period, submission_type, layout_problem = classify(relative)
        problem = problem or layout_problem
        yield LandedFile(
            relative_path=relative,
            uri=listed.url,
            size_bytes=listed.size_bytes,
            sha256=_identity(listed, problem, known or {}),
            arrived_at=listed.modified_at,
            province_code=province,
            period=period,
            submission_type=submission_type,
            problem=problem,
        )
