"""The officer's check: run a file through the nightly's own reading and rules before sending it.

A provincial officer has no access to the national warehouse. `child-warehouse check FILE` starts a
private, throw-away PostgreSQL under the local folder (the same embedded cluster code the project
uses, with its own data folder and a free port), gives it a database built from the warehouse's own
migrations and reference lists, and then runs exactly what the night runs on a landing folder that
holds only the officer's files: discovery, loading, the Great Expectations suites, verdicts and the
feedback workbook. Nothing is re-implemented, so a file that passes here passes at night, apart from
checks that need the national history (resubmission versions, outliers against past periods).

The fresh warehouse is a copy of the template every fresh warehouse is copied from (db/template.py):
built once in the check's own server (about 15 s) and rebuilt only when the migrations or reference
lists change, so a later check takes a few seconds. The server is stopped at
the end, and a lock keeps two checks on one machine from sharing it.
"""

from __future__ import annotations

import fcntl
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from child_warehouse import ledger, settings
from child_warehouse.db import cluster, connection, template
from child_warehouse.ledger import Status
from child_warehouse.sources.landing import MANIFEST, PERIOD_PATTERN


@dataclass
class FileVerdict:
    """What the night would say about one file."""

    file_name: str
    status: str
    rows: int | None
    rows_with_errors: int | None
    rows_with_warnings: int | None
    reason_vi: str | None
    reason_en: str | None
    rules: list[tuple[str, str, int, int | None, str, str]] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.status in ledger.ACCEPTED


@dataclass
class CheckResult:
    files: list[FileVerdict]
    workbooks: list[Path]

    @property
    def all_accepted(self) -> bool:
        return all(f.accepted for f in self.files)


def check_cluster() -> cluster.EmbeddedCluster:
    return cluster.EmbeddedCluster(root=settings.local_dir() / "check-postgres", port=cluster.free_port())


@contextmanager
def _private_server() -> Iterator[cluster.EmbeddedCluster]:
    """Start the check cluster (one check at a time per local folder) and always stop it."""
    server = check_cluster()
    server.root.mkdir(parents=True, exist_ok=True)
    with (server.root.parent / "check-postgres.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cluster.stop(server)  # a check killed half-way may have left it running on another port
        cluster.start(server)
        try:
            yield server
        finally:
            cluster.stop(server)


def place_in_landing(files: list[Path], landing: Path, province: str | None, period: str | None) -> None:
    """Copy each file where the night would find it: <province>/<period>/<name> (+ its manifest).

    Province and period come from the options, else from the file's own folders when those already
    follow the landing layout (…/66/2026-H1/child_records.csv).
    """
    for path in files:
        file_province = province or path.parent.parent.name
        file_period = period or path.parent.name
        if not PERIOD_PATTERN.match(file_period) or len(file_province) != 2:
            raise ValueError(
                f"{path}: give --province and --period (mã tỉnh và kỳ báo cáo), the folders do not say"
            )
        folder = landing / file_province / file_period
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / path.name)
        beside = path.parent / MANIFEST
        if beside.exists() and not (folder / MANIFEST).exists():
            shutil.copyfile(beside, folder / MANIFEST)


_VERDICTS = """
select s.file_name, s.status, s.rows_in_file, s.rows_with_errors, s.rows_with_warnings,
       s.reason_vi, s.reason_en, s.submission_id
from ledger.submissions as s order by s.file_name
"""
_RULES = """
select rule, severity, count(*), min(source_row),
       (array_agg(reason_vi order by source_row nulls first))[1],
       (array_agg(reason_en order by source_row nulls first))[1]
from dq.row_issues where submission_id = %s
group by rule, severity order by severity, count(*) desc, rule
"""


def _verdicts(url: str) -> list[FileVerdict]:
    verdicts = []
    with connection.transaction(url) as conn, conn.cursor() as cur:
        cur.execute(_VERDICTS)
        for *facts, submission_id in cur.fetchall():
            verdict = FileVerdict(*facts)
            cur.execute(_RULES, (submission_id,))
            verdict.rules = list(cur.fetchall())
            verdicts.append(verdict)
    return verdicts


def check_files(files: list[Path], province: str | None, period: str | None, out_dir: Path) -> CheckResult:
    """Run the night's discovery, loading and validation on these files; write the workbooks."""
    from child_warehouse.feedback.report import write_feedback
    from child_warehouse.ingest.stage import load_province
    from child_warehouse.sources.discover import discover_submissions
    from child_warehouse.validation.runner import validate_province

    with tempfile.TemporaryDirectory(prefix="child-warehouse-check-") as scratch:
        landing = Path(scratch) / "landing"
        place_in_landing(files, landing, province, period)
        with _private_server() as server, template.fresh_database("check", server.url("postgres")) as url:
            run_id = f"check-{uuid.uuid4().hex[:6]}"
            for found in discover_submissions(run_id, str(landing), url):
                load_province(found, run_id, url)
                validate_province(found, url)
            workbooks = [
                write_feedback(p.name, q.name, out_dir, url)
                for p in sorted(landing.iterdir())
                for q in sorted(p.iterdir())
            ]
            return CheckResult(_verdicts(url), workbooks)


_STATUS = {
    Status.ACCEPTED: "CHẤP NHẬN / ACCEPTED",
    Status.ACCEPTED_WITH_WARNINGS: "CHẤP NHẬN, CÓ CẢNH BÁO / ACCEPTED WITH WARNINGS",
    Status.REJECTED: "TỪ CHỐI / REJECTED",
}


def render(result: CheckResult) -> str:
    """What the officer reads in the terminal: each file's verdict, then its rules by frequency."""
    lines = []
    for verdict in result.files:
        lines.append(f"{verdict.file_name}: {_STATUS.get(verdict.status, verdict.status)}")
        if verdict.rows is not None:
            lines.append(
                f"  {verdict.rows} dòng / rows; {verdict.rows_with_errors or 0} dòng lỗi / with errors; "
                f"{verdict.rows_with_warnings or 0} dòng cảnh báo / with warnings"
            )
        if verdict.reason_vi:
            lines += [f"  Lý do: {verdict.reason_vi}", f"  Reason: {verdict.reason_en}"]
        for rule, severity, count, first_row, vi, en in verdict.rules:
            where = f"dòng đầu tiên / first row {first_row}" if first_row else "cả tệp / whole file"
            lines.append(f"  - [{severity}] {rule}: {count} ({where})")
            lines += [f"      {vi}", f"      {en}"]
    lines += [f"Báo cáo chi tiết / Detailed report: {path}" for path in result.workbooks]
    return "\n".join(lines)
