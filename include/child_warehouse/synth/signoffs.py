"""Provinces' sign-offs in the sample (`approval.json`, submission contract §7), with their truth.

Each province-period folder gets an approval.json naming the files it holds (the latest version of
each type) by sha256, two days after the last of them arrived; except that a share of them is not
sent at all (a province that has not signed yet: the common case at a deadline), and a share names an
earlier draft of one file (a hash the warehouse never received: an officer who approved the copy on
their own machine, edited after). truth/signoffs.csv says which, and what the warehouse should
decide: approved, refused (signoff_contents_not_held) or none.

It never produces: withdrawal by a later resubmission (the end-to-end publication test lands one),
malformed JSON, a wrong folder, or a sign-off of a rejected file (unit tests craft those).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import random
from collections.abc import Sequence
from pathlib import Path

NOT_SENT_SHARE = 0.1
EARLIER_DRAFT_SHARE = 0.05
SIGNERS = (
    "Nguyễn Thị Lan, Phó Giám đốc Sở Y tế",
    "Trần Văn Minh, Giám đốc Sở Y tế",
    "Lê Thị Hồng, Trưởng phòng Bảo vệ, chăm sóc trẻ em",
    "Phạm Quốc Huy, Phó Giám đốc Sở Y tế",
    "Hoàng Thị Thu, Chi cục trưởng Chi cục Dân số - Trẻ em",
)
TRUTH_COLUMNS = ("province_code", "period", "expected_status", "reason_code", "files")


def _latest(files: list[Path]) -> dict[str, Path]:
    """The latest version of each type in a folder (by arrival time, then name)."""
    latest: dict[str, Path] = {}
    for path in sorted(files, key=lambda p: (p.stat().st_mtime, p.name)):
        latest[path.name.split(".")[0]] = path
    return latest


def write_signoffs(seed: int, landing_root: Path, files: Sequence[Path], truth_dir: Path) -> list[Path]:
    """approval.json in every province-period folder but the unsigned ones; their paths."""
    folders: dict[Path, list[Path]] = {}
    for path in files:
        folders.setdefault(path.parent, []).append(path)
    written = []
    truth_dir.mkdir(parents=True, exist_ok=True)
    with (truth_dir / "signoffs.csv").open("w", encoding="utf-8", newline="") as handle:
        truth = csv.writer(handle, lineterminator="\n")
        truth.writerow(TRUTH_COLUMNS)
        for folder in sorted(folders):
            province, period = folder.relative_to(landing_root).parts
            rng = random.Random(f"{seed}:signoff:{province}:{period}")  # noqa: S311
            latest = _latest(folders[folder])
            if rng.random() < NOT_SENT_SHARE:
                truth.writerow([province, period, "none", "", ""])
                continue
            hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in latest.values()}
            reason = ""
            if rng.random() < EARLIER_DRAFT_SHARE:
                draft = sorted(hashes)[0]
                hashes[draft] = hashlib.sha256(f"draft:{seed}:{province}:{period}".encode()).hexdigest()
                reason = "signoff_contents_not_held"
            arrived = max(p.stat().st_mtime for p in latest.values()) + 2 * 86400
            approved_at = dt.datetime.fromtimestamp(arrived, dt.UTC).astimezone(
                dt.timezone(dt.timedelta(hours=7))
            )
            body = {
                "province_code": province,
                "period": period,
                "approved_by": rng.choice(SIGNERS),
                "approved_at": approved_at.isoformat(timespec="seconds"),
                "files": {name: {"sha256": sha} for name, sha in sorted(hashes.items())},
            }
            path = folder / "approval.json"
            path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            os.utime(path, (arrived, arrived))
            written.append(path)
            status = "refused" if reason else "approved"
            truth.writerow([province, period, status, reason, ";".join(sorted(hashes))])
    return written
