"""The officer's check: run a file through the nightly's own reading and rules before sending it.

A provincial officer has no access to the national warehouse. `child-warehouse check FILE` starts a
private, throw-away PostgreSQL under the local folder (the same embedded cluster code the project
uses, with its own data folder and a free port), gives it a database built from the warehouse's own
migrations and reference lists, and then runs exactly what the night runs on a landing folder that
holds only the officer's files: discovery, loading, the Great Expectations suites, verdicts and the
feedback workbook. Nothing is re-implemented, so a file that passes here passes at night, apart from
checks that need the national history (resubmission versions, outliers against past periods).

The fresh warehouse is a copy of the template every fresh warehouse is copied from (db/template.py):
built once in the check's own server and rebuilt only when the migrations or reference lists change.
Measured on a 2-core machine: 8.4 s for the first check (cluster and template created), 7.4 s for a
later one, most of it importing Great Expectations. The server is stopped at the end, and a lock
keeps two checks on one machine from sharing it. The terminal shows verdicts, how each file was
read and example rows, never the stages' logs.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from child_warehouse import ledger, settings
from child_warehouse.contract.reading import Reading
from child_warehouse.db import cluster, connection, template
from child_warehouse.ledger import Status
from child_warehouse.sources.landing import MANIFEST, PERIOD_PATTERN


@dataclass(frozen=True)
class Example:
    """One failing row as the officer finds it in the sheet."""

    row: int | None
    column: str | None  # the header as the file wrote it
    value: str | None
    reason_vi: str
    reason_en: str


@dataclass
class RuleFailure:
    """A rule that failed in a file: how many rows, and a few of them (different values first)."""

    rule: str
    severity: str
    count: int
    examples: list[Example] = field(default_factory=list)


@dataclass
class FileVerdict:
    """What the night would say about one file, and how it read it."""

    file_name: str
    status: str
    rows: int | None
    rows_with_errors: int | None
    rows_with_warnings: int | None
    reason_vi: str | None
    reason_en: str | None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    rules: list[RuleFailure] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.status in ledger.ACCEPTED


@dataclass
class CheckResult:
    files: list[FileVerdict]
    workbooks: list[Path]
    examples: int = 3  # example rows printed per failing rule

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
        # The copy is complete: dated as the officer's file (at least a minute back), so discovery's
        # wait for files still being written (CHILD_WAREHOUSE_SETTLE_SECONDS) does not apply to it.
        moment = min(path.stat().st_mtime, time.time() - 60)
        os.utime(folder / path.name, (moment, moment))
        beside = path.parent / MANIFEST
        if beside.exists() and not (folder / MANIFEST).exists():
            shutil.copyfile(beside, folder / MANIFEST)


_VERDICTS = """
select s.file_name, s.status, s.rows_in_file, s.rows_with_errors, s.rows_with_warnings,
       s.reason_vi, s.reason_en, s.encoding, s.delimiter, s.sheet_name, s.header_row, s.submission_id
from ledger.submissions as s order by s.file_name
"""
# Per rule, its count and the first `examples` rows, one row per distinct value before any repeat,
# so two kinds of bad date both show; the column named by the file's own header.
_RULES = """
with issues as (
    select i.*, row_number() over (partition by rule, severity, value order by source_row nulls first)
                    as value_rank
    from dq.row_issues as i where i.submission_id = %(id)s
),
ranked as (
    select rule, severity, source_row, column_name, value, reason_vi, reason_en,
           count(*) over (partition by rule, severity) as failing,
           row_number() over (partition by rule, severity order by value_rank, source_row nulls first)
               as example
    from issues
)
select r.rule, r.severity, r.failing, r.source_row,
       coalesce(s.headers ->> r.column_name, r.column_name), r.value, r.reason_vi, r.reason_en
from ranked as r cross join ledger.submissions as s
where s.submission_id = %(id)s and r.example <= %(examples)s
order by array_position(array['error', 'warning', 'note'], r.severity), r.failing desc, r.rule, r.example
"""
DEFAULT_EXAMPLES = 3


def _verdicts(url: str, examples: int = DEFAULT_EXAMPLES) -> list[FileVerdict]:
    verdicts = []
    with connection.transaction(url) as conn, conn.cursor() as cur:
        cur.execute(_VERDICTS)
        for *facts, submission_id in cur.fetchall():
            verdict = FileVerdict(*facts)
            cur.execute(_RULES, {"id": submission_id, "examples": max(examples, 1)})
            for rule, severity, failing, row, column, value, vi, en in cur.fetchall():
                last = verdict.rules[-1] if verdict.rules else None
                if last is None or (last.rule, last.severity) != (rule, severity):
                    verdict.rules.append(RuleFailure(rule, severity, failing))
                verdict.rules[-1].examples.append(Example(row, column, value, vi, en))
            verdicts.append(verdict)
    return verdicts


@contextmanager
def _quiet() -> Iterator[None]:
    """The officer reads verdicts, not the stages' logs: while the check runs, only errors from the
    libraries and the stages reach the terminal (the verdicts carry every warning already)."""
    import logging

    # Libraries log through loggers of their own levels straight to the root's handlers, so the
    # root's level is not enough: disable everything below ERROR for the check's duration.
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(previous)


def check_files(
    files: list[Path],
    province: str | None,
    period: str | None,
    out_dir: Path,
    examples: int = DEFAULT_EXAMPLES,
) -> CheckResult:
    """Run the night's discovery, loading and validation on these files; write the workbooks."""
    from child_warehouse.feedback.report import write_feedback
    from child_warehouse.ingest.stage import load_province
    from child_warehouse.sources.discover import discover_submissions
    from child_warehouse.validation.runner import validate_province

    with tempfile.TemporaryDirectory(prefix="child-warehouse-check-") as scratch, _quiet():
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
            return CheckResult(_verdicts(url, examples), workbooks, examples)


_STATUS = {
    Status.ACCEPTED: "CHẤP NHẬN / ACCEPTED",
    Status.ACCEPTED_WITH_WARNINGS: "CHẤP NHẬN, CÓ CẢNH BÁO / ACCEPTED WITH WARNINGS",
    Status.REJECTED: "TỪ CHỐI / REJECTED",
}


SEVERITY = {
    "error": "lỗi, dòng bị loại / error, row excluded",
    "warning": "cảnh báo / warning",
    "note": "ghi chú / note",
}


def _reading(verdict: FileVerdict) -> str | None:
    reading = Reading(verdict.encoding, verdict.delimiter, verdict.sheet, verdict.header_row)
    facts = [f"{vi.lower()} / {en.lower()} {value}" for vi, en, value in reading.facts()]
    return "  Đọc tệp / Read as: " + "; ".join(facts) if facts else None


def render(result: CheckResult) -> str:
    """What the officer reads in the terminal: each file's verdict and how it was read, then each
    failing rule with its count and example rows, columns named as the officer's sheet names them."""
    lines = []
    for verdict in result.files:
        lines.append(f"{verdict.file_name}: {_STATUS.get(verdict.status, verdict.status)}")
        if reading := _reading(verdict):
            lines.append(reading)
        if verdict.rows is not None:
            lines.append(
                f"  {verdict.rows} dòng / rows; {verdict.rows_with_errors or 0} dòng lỗi / with errors; "
                f"{verdict.rows_with_warnings or 0} dòng cảnh báo / with warnings"
            )
        if verdict.reason_vi:
            lines += [f"  Lý do: {verdict.reason_vi}", f"  Reason: {verdict.reason_en}"]
        for failure in verdict.rules:
            rows = "dòng / rows" if failure.examples and failure.examples[0].row else "lần / times"
            lines.append(f"  - {failure.rule} [{SEVERITY.get(failure.severity, failure.severity)}]: "
                         f"{failure.count} {rows}")  # fmt: skip
            shown = failure.examples[: max(result.examples, 0)]
            for example in shown:
                lines += [f"      {example.reason_vi}", f"      {example.reason_en}"]
            more = failure.count - len(shown)
            if more > 0 and shown:
                lines.append(
                    f"      … và {more} dòng khác / and {more} more (xem tệp phản hồi / see the workbook)"
                )
    lines += [f"Báo cáo chi tiết / Detailed report: {path}" for path in result.workbooks]
    return "\n".join(lines)
