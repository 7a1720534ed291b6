"""The ingest stage for one province: every pending file loaded or refused, one transaction each."""

from __future__ import annotations

import csv
import logging
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from psycopg2.extras import execute_values

from child_warehouse.db.connection import transaction
from child_warehouse.ingest import errors
from child_warehouse.ingest.checks import foreign_commune_problem
from child_warehouse.ingest.loader import LoadReport, copy_file_into_raw
from child_warehouse.sources import ledger, manifest
from child_warehouse.sources.storage import Blob, sha256_of

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
        raise errors.FileRejected(errors.changed_since_received(submission.file_name))
    stated = manifest.load_beside(blob.url)
    base = blob.name
    if stated and (
        problem := manifest.identity_problem(
            stated, base, submission.province_code, submission.period, submission.sha256
        )
    ):
        raise errors.FileRejected(problem)
    report = copy_file_into_raw(conn, blob, submission.submission_type, submission.submission_id)
    if stated and (problem := manifest.rows_problem(stated, base, report.rows_loaded)):
        raise errors.FileRejected(problem)
    if problem := foreign_commune_problem(conn, submission):
        raise errors.FileRejected(problem)
    return report


def _record_row_issues(conn, report: LoadReport) -> None:
    if not report.row_issues:
        return
    with conn.cursor() as cur:
        execute_values(
            cur,
            """insert into dq.row_issues (submission_id, source_row, column_name, value, rule,
                               severity, reason_vi, reason_en) values %s""",
            report.row_issues,
        )


def _record_unknown_columns(conn, submission_id: int, report: LoadReport) -> None:
    if not report.unknown_columns:
        return
    import json

    with conn.cursor() as cur:
        cur.execute(
            """
            insert into dq.rule_results (submission_id, rule, column_name, severity, rows_checked,
                                         rows_failing, examples)
            values (%s, 'unknown_columns', null, 'warning', 0, 0, %s)
            on conflict (submission_id, rule) do update set examples = excluded.examples""",
            (submission_id, json.dumps(report.unknown_columns, ensure_ascii=False)),
        )


def load_submission(submission: ledger.Submission, run_id: str, url: str | None = None) -> str:
    """Load one file; return the ledger status it ends with ('loaded' or 'rejected')."""
    blob = blob_of(submission.file_uri)
    try:
        with transaction(url) as conn:
            with conn.cursor() as cur:
                cur.execute("delete from dq.row_issues where submission_id = %s", (submission.submission_id,))
                cur.execute(
                    "delete from dq.rule_results where submission_id = %s", (submission.submission_id,)
                )
            report = _check_file(conn, submission, blob)
            _record_row_issues(conn, report)
            _record_unknown_columns(conn, submission.submission_id, report)
            ledger.mark_loaded(conn, submission.submission_id, report.rows_loaded, run_id)
    except errors.FileRejected as rejection:
        reason = rejection.reason
    except _CONTENT_ERRORS as error:
        log.warning("refusing %s: %s", submission.file_name, error)
        reason = errors.unreadable(submission.file_name, f"{type(error).__name__}: {error}"[:300])
    else:
        log.info("loaded %s: %d rows", submission.file_name, report.rows_loaded)
        return "loaded"
    with transaction(url) as conn:
        ledger.mark_rejected(conn, submission.submission_id, reason, run_id)
    log.warning("rejected %s: %s", submission.file_name, reason.en)
    return "rejected"


def load_province(province_code: str, run_id: str, url: str | None = None) -> dict[str, int]:
    """Load every pending file of one province; a refused file never stops the others."""
    with transaction(url) as conn:
        pending = ledger.pending_submissions(conn, province_code)
    outcomes = [load_submission(s, run_id, url) for s in pending]
    return {
        "files_found": len(pending),
        "files_loaded": outcomes.count("loaded"),
        "files_rejected": outcomes.count("rejected"),
    }
