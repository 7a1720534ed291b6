"""The file ledger's writes: every file recorded once by content hash, each status change a transition.

Stages call these instead of updating `ledger.submissions` themselves; each update moves only a
submission in a state its transition allows (states.py) and raises otherwise, so a stage that
races another or runs twice cannot move a file backwards or skip a step.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from psycopg2 import sql
from psycopg2.extras import execute_values

from child_warehouse.contract.landed import LandedFile
from child_warehouse.contract.reading import Reading
from child_warehouse.contract.reasons import Reason
from child_warehouse.ledger.states import ACCEPTED, FINAL, PENDING, TRANSITIONS, IllegalTransition, Status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submission:
    submission_id: int
    province_code: str
    period: str
    submission_type: str
    file_uri: str
    file_name: str
    sha256: str = ""


_NOT_RECORDED = sql.SQL("""
from landed l
where not exists (
    select from ledger.submissions s
    where (s.province_code, s.period, s.submission_type, s.sha256)
          is not distinct from (l.province_code, l.period, l.submission_type, l.sha256))
""")

_RECORD = (
    sql.SQL("""
insert into ledger.submissions (province_code, period, submission_type, file_uri, file_name,
    size_bytes, sha256, arrived_at, status, reason_code, reason_vi, reason_en, discovered_run_id, version)
select l.province_code, l.period, l.submission_type, l.file_uri, l.file_name, l.size_bytes,
       l.sha256, l.arrived_at, l.status, l.reason_code, l.reason_vi, l.reason_en, l.discovered_run_id,
       case when l.status = 'discovered' then
           coalesce((select max(s.version) from ledger.submissions s
                     where (s.province_code, s.period, s.submission_type)
                         = (l.province_code, l.period, l.submission_type)), 0)
           + row_number() over (partition by l.province_code, l.period, l.submission_type, l.status
                                order by l.arrived_at, l.file_name)
       end""")
    + _NOT_RECORDED
    + sql.SQL("on conflict do nothing\n")
)


@dataclass(frozen=True)
class Unrecorded:
    """A landed file the ledger has not seen: what discovery would record."""

    province_code: str | None
    period: str | None
    submission_type: str | None
    file_name: str
    status: str
    reason_en: str | None


def _stage_landed(cur, files: Iterable[LandedFile], run_id: str, *, again: bool = False) -> None:
    """The landed files in a temporary table `landed`, dropped at the end of the transaction
    (`again`: emptied and filled anew, every name kept)."""
    rows = [
        (
            f.province_code,
            f.period,
            f.submission_type,
            f.uri,
            f.relative_path,
            f.size_bytes,
            f.sha256,
            f.arrived_at,
            Status.REJECTED.value if f.problem else Status.DISCOVERED.value,
            f.problem.code if f.problem else None,
            f.problem.vi if f.problem else None,
            f.problem.en if f.problem else None,
            run_id,
        )
        for f in files
    ]
    if again:
        cur.execute("truncate landed")
    else:
        cur.execute("""create temporary table landed (
            province_code text, period text, submission_type text, file_uri text, file_name text,
            size_bytes bigint, sha256 text, arrived_at timestamptz, status text, reason_code text,
            reason_vi text, reason_en text, discovered_run_id text) on commit drop""")
    execute_values(
        cur,
        """insert into landed (province_code, period, submission_type, file_uri, file_name, size_bytes,
                               sha256, arrived_at, status, reason_code, reason_vi, reason_en,
                               discovered_run_id)
           values %s""",
        rows,
        page_size=1000,
    )
    if again:
        return
    # The same bytes landed twice under two names for the same province, period and type are one
    # submission: the earlier (by arrival, then name) stands for both.
    cur.execute("""delete from landed as l using landed as k
                   where (l.province_code, l.period, l.submission_type, l.sha256)
                         is not distinct from (k.province_code, k.period, k.submission_type, k.sha256)
                     and (k.arrived_at, k.file_name) < (l.arrived_at, l.file_name)""")


_SAME_CONTENT = """
select distinct on (l.file_name) l.file_name, s.file_name, s.submission_id
from landed as l join ledger.submissions as s
  on (s.province_code, s.period, s.submission_type, s.sha256)
     is not distinct from (l.province_code, l.period, l.submission_type, l.sha256)
where s.file_name <> l.file_name
order by l.file_name, s.submission_id
"""


def record_landed_files(conn, files: Iterable[LandedFile], run_id: str) -> int:
    """Discover: insert files not seen before (by hash), versioned per province, period and type.
    A file whose bytes the ledger holds under another name is not recorded again; the log says so."""
    files = list(files)
    with conn.cursor() as cur:
        cur.execute("lock table ledger.submissions in share row exclusive mode")
        _stage_landed(cur, files, run_id)
        cur.execute(_RECORD)
        recorded = cur.rowcount
        _stage_landed(cur, files, run_id, again=True)
        cur.execute(_SAME_CONTENT)
        for name, first, submission_id in cur.fetchall():
            log.info(
                "Same content as %s (submission %s): %s is not recorded again", first, submission_id, name
            )
        return recorded


def known_files(conn) -> dict[tuple, str]:
    """(file URI, size in bytes, modification time) -> sha256 of every file the ledger has read, so
    discovery need not hash them again (landing.scan)."""
    with conn.cursor() as cur:
        cur.execute(
            """select distinct on (file_uri, size_bytes, arrived_at) file_uri, size_bytes, arrived_at, sha256
               from ledger.submissions
               where sha256 not like 'unread:%%'
               order by file_uri, size_bytes, arrived_at, submission_id desc"""
        )
        return {(uri, size, arrived): sha for uri, size, arrived, sha in cur.fetchall()}


def unrecorded_files(conn, files: Iterable[LandedFile]) -> list[Unrecorded]:
    """What `record_landed_files` would insert, inserting nothing (a dry run's discovery)."""
    with conn.cursor() as cur:
        _stage_landed(cur, files, "dry run")
        cur.execute(
            sql.SQL("select l.province_code, l.period, l.submission_type, l.file_name, l.status, l.reason_en")
            + _NOT_RECORDED
            + sql.SQL("order by 1, 2, 3, 4")
        )
        return [Unrecorded(*row) for row in cur.fetchall()]


_UNFINISHED = """
select distinct util.province_now(province_code, period) from ledger.submissions
where province_code is not null
  and (status = any(%(waiting)s)
       or (submission_type = 'child_records' and status = any(%(accepted)s) and linked_at is null))
order by 1
"""


def pending_provinces(conn) -> list[str]:
    """Provinces with a stage's work left: files to load, loaded files without a verdict, accepted
    child records not yet linked by ID. Read from the ledger alone, so a run finishes whatever an
    earlier run left when it died, at any stage. A pre-reform file counts for the province that
    answers for it today (`util.province_now`), whose task loads it beside its own files."""
    with conn.cursor() as cur:
        cur.execute(_UNFINISHED, {"waiting": sorted(PENDING | {Status.LOADED}), "accepted": sorted(ACCEPTED)})
        return [r[0] for r in cur.fetchall()]


def to_link_by_id(conn, province_code: str | None = None) -> list[int]:
    """Accepted child-record files whose linkage by personal ID is still to do (one province's, or all)."""
    with conn.cursor() as cur:
        cur.execute(
            """select submission_id from ledger.submissions
               where submission_type = 'child_records' and status = any(%s) and linked_at is null
                 and (%s::text is null or province_code = %s)
               order by submission_id""",
            (sorted(ACCEPTED), province_code, province_code),
        )
        return [row[0] for row in cur.fetchall()]


def to_match(conn) -> list[int]:
    """Accepted child-record files linked by ID whose probabilistic linkage and pseudonyms are still to do."""
    with conn.cursor() as cur:
        cur.execute(
            """select submission_id from ledger.submissions
               where submission_type = 'child_records' and status = any(%s)
                 and linked_at is not null and matched_at is null
               order by submission_id""",
            (sorted(ACCEPTED),),
        )
        return [row[0] for row in cur.fetchall()]


def record_linked(conn, submission_ids: Sequence[int], run_id: str | None) -> None:
    """Linkage by ID replaced these files' links: probabilistic linkage is next."""
    with conn.cursor() as cur:
        cur.execute(
            """update ledger.submissions
               set linked_at = now(), matched_at = null, processed_run_id = coalesce(%s, processed_run_id)
               where submission_id = any(%s)""",
            (run_id, list(submission_ids)),
        )


def feedback_due(conn, run_id: str | None) -> list[tuple[str, str]]:
    """(province, period) whose feedback workbook is to write: what this run processed, every final
    file no workbook has covered yet (a run that died before writing its feedback), and every sign-off
    decided since its province's workbook was last written."""
    with conn.cursor() as cur:
        cur.execute(
            """select province_code, period from ledger.submissions
               where province_code is not null and period is not null
                 and (processed_run_id = %s or (status = any(%s) and feedback_at is null))
               union
               select province_code, period from ledger.signoffs
               where decided_at is not null and (feedback_at is null or feedback_at < decided_at)
               order by 1, 2""",
            (run_id, sorted(FINAL)),
        )
        return cur.fetchall()


def record_feedback(conn, province_code: str, period: str) -> None:
    """The workbook of this province and period was written: it covers every final file of theirs."""
    with conn.cursor() as cur:
        cur.execute(
            """update ledger.submissions set feedback_at = now()
               where province_code = %s and period = %s and status = any(%s)""",
            (province_code, period, sorted(FINAL)),
        )
        cur.execute(
            "update ledger.signoffs set feedback_at = now() where province_code = %s and period = %s",
            (province_code, period),
        )


def record_matched(conn, submission_ids: Sequence[int], run_id: str | None) -> None:
    """Probabilistic linkage and pseudonyms are done for these files: their linkage is final."""
    with conn.cursor() as cur:
        cur.execute(
            """update ledger.submissions
               set matched_at = now(), processed_run_id = coalesce(%s, processed_run_id)
               where submission_id = any(%s) and linked_at is not null""",
            (run_id, list(submission_ids)),
        )


def provinces_now(conn, folders: Sequence[tuple[str, str]]) -> list[str]:
    """The provinces answering today for files of these (province code, period) folders, sorted."""
    with conn.cursor() as cur:
        cur.execute(
            "select distinct util.province_now(f.code, f.period) from unnest(%s::text[], %s::text[]) "
            "as f (code, period) order by 1",
            ([code for code, _ in folders], [period for _, period in folders]),
        )
        return [row[0] for row in cur.fetchall()]


def pending_submissions(conn, province_code: str) -> list[Submission]:
    """The files ingest has to load for a province (its own, and those of the pre-reform provinces
    that merged into it), oldest period first, versions in order."""
    with conn.cursor() as cur:
        cur.execute(
            """
            select submission_id, province_code, period, submission_type, file_uri, file_name, sha256
            from ledger.submissions
            where util.province_now(province_code, period) = %s and status = any(%s)
            order by period, submission_type, version""",
            (province_code, sorted(PENDING)),
        )
        return [Submission(*row) for row in cur.fetchall()]


def awaiting_verdict(conn, province_code: str) -> list[tuple[int, str]]:
    """(submission_id, type) of a province's loaded files (with those of the pre-reform provinces that
    merged into it): oldest period first, records before reports."""
    with conn.cursor() as cur:
        cur.execute(
            """select submission_id, submission_type from ledger.submissions
               where util.province_now(province_code, period) = %s and status = %s
               order by util.period_end_date(period), submission_type = 'indicator_report', submission_id""",
            (province_code, Status.LOADED.value),
        )
        return cur.fetchall()


def _move(conn, transition: str, ids: Sequence[int], target: Status, assignments: dict[str, object]) -> int:
    """Move submissions along a transition; raise if any of them is not in a state it allows."""
    rule = TRANSITIONS[transition]
    if target not in rule.targets:
        raise IllegalTransition(f"{transition} does not lead to {target}")
    sets = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder(column)) for column in assignments
    )
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL(
                "update ledger.submissions set status = %(target)s, {} "
                "where submission_id = any(%(ids)s) and status = any(%(sources)s)"
            ).format(sets),
            {**assignments, "target": target.value, "ids": list(ids), "sources": sorted(rule.sources)},
        )
        if cur.rowcount != len(ids):
            cur.execute(
                "select submission_id, status from ledger.submissions where submission_id = any(%s)",
                (list(ids),),
            )
            found = dict(cur.fetchall())
            wrong = {i: found.get(i, "missing") for i in ids if found.get(i) not in rule.sources}
            raise IllegalTransition(f"{transition} to {target}: not allowed from {wrong}")
        return cur.rowcount


def _reason(reason: Reason | None) -> dict[str, str | None]:
    return {
        "reason_code": reason.code if reason else None,
        "reason_vi": reason.vi if reason else None,
        "reason_en": reason.en if reason else None,
    }


def record_load(conn, submission_id: int, rows: int, run_id: str, reading: Reading | None = None) -> None:
    """load: the file's rows are in raw.*, waiting for validation; how it was read is kept."""
    assignments = {
        "rows_in_file": rows,
        **_reason(None),
        "processed_run_id": run_id,
        **(reading or Reading()).as_ledger(),
    }
    _move(conn, "load", [submission_id], Status.LOADED, assignments)
    with conn.cursor() as cur:
        cur.execute(
            "update ledger.submissions set loaded_at = now() where submission_id = %s", (submission_id,)
        )


def record_refusal(
    conn, submission_id: int, reason: Reason, run_id: str, reading: Reading | None = None
) -> None:
    """refuse: the whole file is refused while reading it, with the reason the province reads (and how
    it was read, when it got that far)."""
    assignments = {
        **_reason(reason),
        "processed_run_id": run_id,
        "feedback_at": None,
        "rows_in_file": None,
        **(reading or Reading()).as_ledger(),
    }
    _move(conn, "refuse", [submission_id], Status.REJECTED, assignments)


def record_load_failure(conn, submission_id: int, reason: Reason, run_id: str) -> None:
    """fail_load: an infrastructure fault stopped the load; the next run loads the file again."""
    assignments = {**_reason(reason), "processed_run_id": run_id}
    _move(conn, "fail_load", [submission_id], Status.LOAD_FAILED, assignments)


def record_verdict(
    conn,
    submission_id: int,
    status: Status,
    reason: Reason | None,
    *,
    rows_with_errors: int,
    rows_with_warnings: int,
    run_id: str | None = None,
) -> None:
    """conclude: validation's verdict on a loaded file, with its counts of rows with errors and warnings.
    Its linkage is to do again; the run that gave the verdict becomes the file's processing run."""
    assignments = {
        **_reason(reason),
        "rows_with_errors": rows_with_errors,
        "rows_with_warnings": rows_with_warnings,
        "linked_at": None,
        "matched_at": None,
        "feedback_at": None,
    }
    if run_id is not None:
        assignments["processed_run_id"] = run_id
    _move(conn, "conclude", [submission_id], Status(status), assignments)
    with conn.cursor() as cur:
        cur.execute(
            "update ledger.submissions set validated_at = now() where submission_id = %s", (submission_id,)
        )


def reopen(conn, submission_ids: Sequence[int]) -> int:
    """reopen: set files back to discovered so the next run loads, validates and links them again
    (files already waiting to be loaded stay as they are); the number of files reopened."""
    with conn.cursor() as cur:
        cur.execute(
            "select submission_id from ledger.submissions where submission_id = any(%s) and status <> %s",
            (list(submission_ids), Status.DISCOVERED.value),
        )
        ids = [row[0] for row in cur.fetchall()]
    if not ids:
        return 0
    assignments = {
        "processed_run_id": None,
        **_reason(None),
        "linked_at": None,
        "matched_at": None,
        "feedback_at": None,
    }
    return _move(conn, "reopen", ids, Status.DISCOVERED, assignments)
