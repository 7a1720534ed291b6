"""The file ledger: every file seen once by content hash, resubmissions versioned, statuses kept."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg2.extras import execute_values

from child_warehouse.ingest.errors import Reason
from child_warehouse.sources.landing import LandedFile

PENDING = ("discovered", "load_failed")


@dataclass(frozen=True)
class Submission:
    submission_id: int
    province_code: str
    period: str
    submission_type: str
    file_uri: str
    file_name: str
    sha256: str = ""


def record_landed_files(conn, files: list[LandedFile], run_id: str) -> int:
    """Insert files not seen before (by hash); number versions per province, period and type."""
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
            "rejected" if f.problem else "discovered",
            f.problem.vi if f.problem else None,
            f.problem.en if f.problem else None,
            run_id,
        )
        for f in files
    ]
    with conn.cursor() as cur:
        cur.execute("lock table ledger.submissions in share row exclusive mode")
        cur.execute("""create temporary table landed (
            province_code text, period text, submission_type text, file_uri text, file_name text,
            size_bytes bigint, sha256 text, arrived_at timestamptz, status text, reason_vi text,
            reason_en text, discovered_run_id text) on commit drop""")
        execute_values(
            cur,
            """
            insert into landed (province_code, period, submission_type, file_uri, file_name, size_bytes,
                                sha256, arrived_at, status, reason_vi, reason_en, discovered_run_id)
            values %s""",
            rows,
            page_size=1000,
        )
        cur.execute("""
            insert into ledger.submissions (province_code, period, submission_type, file_uri, file_name,
                size_bytes, sha256, arrived_at, status, reason_vi, reason_en, discovered_run_id, version)
            select l.province_code, l.period, l.submission_type, l.file_uri, l.file_name, l.size_bytes,
                   l.sha256, l.arrived_at, l.status, l.reason_vi, l.reason_en, l.discovered_run_id,
                   case when l.status = 'discovered' then
                       coalesce((select max(s.version) from ledger.submissions s
                                 where (s.province_code, s.period, s.submission_type)
                                     = (l.province_code, l.period, l.submission_type)), 0)
                       + row_number() over (partition by l.province_code, l.period, l.submission_type,
                                                         l.status
                                            order by l.arrived_at, l.file_name)
                   end
            from landed l
            where not exists (
                select from ledger.submissions s
                where (s.province_code, s.period, s.submission_type, s.sha256)
                      is not distinct from (l.province_code, l.period, l.submission_type, l.sha256))
            on conflict do nothing""")
        return cur.rowcount


def pending_provinces(conn) -> list[str]:
    with conn.cursor() as cur:
        cur.execute(
            "select distinct province_code from ledger.submissions where status = any(%s) order by 1",
            (list(PENDING),),
        )
        return [r[0] for r in cur.fetchall()]


def pending_submissions(conn, province_code: str) -> list[Submission]:
    with conn.cursor() as cur:
        cur.execute(
            """
            select submission_id, province_code, period, submission_type, file_uri, file_name, sha256
            from ledger.submissions
            where province_code = %s and status = any(%s)
            order by period, submission_type, version""",
            (province_code, list(PENDING)),
        )
        return [Submission(*row) for row in cur.fetchall()]


def mark_loaded(conn, submission_id: int, rows: int, run_id: str) -> None:
    with conn.cursor() as cur:
        cur.execute(
            """update ledger.submissions set status = 'loaded', rows_in_file = %s, loaded_at = now(),
                       reason_vi = null, reason_en = null, processed_run_id = %s
                       where submission_id = %s""",
            (rows, run_id, submission_id),
        )


def mark_rejected(conn, submission_id: int, reason: Reason, run_id: str) -> None:
    with conn.cursor() as cur:
        cur.execute(
            """update ledger.submissions set status = 'rejected', reason_vi = %s, reason_en = %s,
                       processed_run_id = %s where submission_id = %s""",
            (reason.vi, reason.en, run_id, submission_id),
        )
