"""The ingest stage for one province: every pending file loaded or refused, one transaction each."""

from __future__ import annotations

import csv
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from child_warehouse import dq, ledger
from child_warehouse.contract import reasons
from child_warehouse.db.connection import connect, fetch_all, transaction
from child_warehouse.ingest import manifest
from child_warehouse.ingest.checks import foreign_commune_problem
from child_warehouse.ingest.loader import LoadReport, copy_file_into_raw
from child_warehouse.storage import Blob, sha256_of

log = logging.getLogger(__name__)

# Damaged content surfaces as these; they refuse the file. Database and I/O faults still raise.
_CONTENT_ERRORS = (csv.Error, UnicodeError, ValueError, KeyError, IndexError, zipfile.BadZipFile)


def path_of(uri: str) -> Path:
    parts = urlsplit(uri)
    if parts.scheme not in ("", "file"):
        raise NotImplementedError(f"{uri} is not a local file; open it with blob_of")
    return Path(unquote(parts.path))


def blob_of(uri: str) -> Blob:
    """The stored file behind a ledger URI: local (file://, percent-encoded by older runs) or fsspec."""
    return Blob(str(path_of(uri))) if urlsplit(uri).scheme in ("", "file") else Blob(uri)


def _check_file(conn, submission: ledger.Submission, blob: Blob) -> LoadReport:
    """The bytes recorded, manifest identity, the load itself, manifest row count, the province's communes."""
    # A file overwritten in place (a resubmission under the same name, an upload still being written
    # when discovery hashed it) must not be loaded under the ledger row of the bytes it replaced.
    if submission.sha256 and sha256_of(blob) != submission.sha256:
        raise reasons.FileRejected(reasons.changed_since_received(submission.file_name))
    stated = manifest.load_beside(blob.url)
    base = blob.name
    if stated and (
        problem := manifest.identity_problem(
            stated, base, submission.province_code, submission.period, submission.sha256
        )
    ):
        raise reasons.FileRejected(problem)
    report = copy_file_into_raw(conn, blob, submission.submission_type, submission.submission_id)
    if stated and (problem := manifest.rows_problem(stated, base, report.rows_loaded)):
        raise reasons.FileRejected(problem)
    if problem := foreign_commune_problem(conn, submission, report.commune_rows):
        raise reasons.FileRejected(problem)
    return report


@contextmanager
def _file_transaction(conn, url: str | None) -> Iterator:
    """One file's transaction: on the caller's connection when given (committed or rolled back, the
    connection kept for the next file), else on a connection of its own."""
    if conn is None:
        with transaction(url) as own:
            yield own
    else:
        with conn:
            yield conn


def load_submission(
    submission: ledger.Submission, run_id: str, url: str | None = None, conn=None
) -> ledger.Status:
    """Load one file, in a transaction of its own (on `conn` when given); return the ledger status it
    ends with (loaded or rejected).

    A fault that is not the file's (the database or the storage failing) is recorded as load_failed,
    so the ledger says where the night stopped, and raised, so Airflow retries the task; the next
    attempt or run loads the file again.
    """
    blob = blob_of(submission.file_uri)
    try:
        with _file_transaction(conn, url) as tx:
            dq.clear(tx, submission.submission_id)
            report = _check_file(tx, submission, blob)
            dq.record_reading_findings(
                tx, submission.submission_id, report.row_issues, report.unknown_columns
            )
            ledger.record_load(tx, submission.submission_id, report.rows_loaded, run_id, report.reading)
    except reasons.FileRejected as rejection:
        reason, reading = rejection.reason, rejection.reading
    except _CONTENT_ERRORS as error:  # said once, by the refusal below (its reason names the error)
        reason, reading = (
            reasons.unreadable(submission.file_name, f"{type(error).__name__}: {error}"[:300]),
            None,
        )
    except Exception as fault:
        _record_failure(submission, fault, run_id, url)
        raise
    else:
        log.info(
            "loaded %s: %d rows (%s)", submission.file_name, report.rows_loaded, report.reading.describe()
        )
        return ledger.Status.LOADED
    with _file_transaction(conn, url) as tx:
        ledger.record_refusal(tx, submission.submission_id, reason, run_id, reading)
    log.warning(
        "rejected %s: %s%s",
        submission.file_name,
        reason.en,
        f" (read as: {reading.describe()})" if reading else "",
    )
    return ledger.Status.REJECTED


def _record_failure(submission: ledger.Submission, fault: Exception, run_id: str, url: str | None) -> None:
    """Best effort: when the database itself is down, the file simply stays pending."""
    reason = reasons.load_failed(submission.file_name, f"{type(fault).__name__}: {fault}"[:300])
    try:
        with transaction(url) as conn:
            ledger.record_load_failure(conn, submission.submission_id, reason, run_id)
    except Exception:  # the original fault is the one to raise
        log.exception("could not record the load failure of %s", submission.file_name)


def load_province(province_code: str, run_id: str, url: str | None = None) -> dict[str, int]:
    """Load every pending file of one province, each in its own transaction on one connection (a
    connection and a new server process per file cost about 20 ms a file, most of it the process's
    first look at the catalogue); a refused file never stops the others."""
    conn = connect(url)
    try:
        with conn:
            pending = ledger.pending_submissions(conn, province_code)
        outcomes = [load_submission(s, run_id, url, conn) for s in pending]
    finally:
        conn.close()
    counts = {
        "files_found": len(pending),
        "files_loaded": outcomes.count(ledger.Status.LOADED),
        "files_rejected": outcomes.count(ledger.Status.REJECTED),
    }
    log_summary(province_code, [s.submission_id for s in pending], counts, url)
    return counts


_FILES = """
select s.file_name, s.status, s.rows_in_file, s.reason_en, s.reason_vi
from ledger.submissions as s
where s.submission_id = any(%(ids)s)
order by s.period, s.submission_type, s.version
"""


def log_summary(
    province: str, submission_ids: list[int], counts: dict[str, int], url: str | None = None
) -> str:
    """After a province's files were loaded: each refused file and why, then the counts."""
    files = fetch_all(_FILES, {"ids": submission_ids}, url)
    for name, status, _rows_in_file, reason_en, reason_vi in files:
        if status != "loaded":
            log.warning("%s %s: %s / %s", status.upper(), name, reason_en, reason_vi)
    rows = sum(r[2] or 0 for r in files if r[1] == "loaded")
    line = (
        f"Summary: load {province}: {counts['files_found']} file(s) pending; {counts['files_loaded']} loaded "
        f"({rows:,} rows), {counts['files_rejected']} refused"
    )
    log.info("%s", line)
    return line
