"""Backfill history: years of past submissions loaded in period order, beside the nightly schedule.

Past submissions sit in an archive with the landing zone's layout (CHILD_WAREHOUSE_HISTORY_ROOT,
pre-reform province codes for periods before July 2025). `child-warehouse backfill --from 2018
--to 2025` runs the `backfill_history` DAG once per year, oldest first (orchestration/backfill_runs.py);
each run records only that
year's files in the ledger (selected by path, before anything is read), and its provinces load them
oldest period first, so the warehouse fills in period order. The DAG has its own pool and one
active run, and waits outside the nightly window (CHILD_WAREHOUSE_BACKFILL_PAUSE).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from child_warehouse import ledger, settings
from child_warehouse.db.connection import transaction

log = logging.getLogger(__name__)

POOL = "backfill_history"

PROGRESS_SQL = """
select period,
       count(*) as files,
       count(*) filter (where status = any(%(accepted)s)) as accepted,
       count(*) filter (where status = %(rejected)s) as rejected,
       count(*) filter (where status = any(%(waiting)s)) as pending,
       count(distinct province_code) as provinces,
       coalesce(sum(rows_in_file) filter (where status <> %(rejected)s), 0) as rows_loaded
from ledger.submissions
where period ~ '^\\d{4}-' and left(period, 4)::int between %(first)s and %(last)s
group by period
order by util.period_end_date(period), period
"""


def year_of(relative_path: str) -> int | None:
    """The year of `<province>/<period>/<file>` from its path alone; None when it has no period."""
    parts = relative_path.split("/")
    if len(parts) != 3 or len(parts[1]) < 5 or not parts[1][:4].isdigit() or parts[1][4] != "-":
        return None
    return int(parts[1][:4])


def in_years(first: int, last: int):
    """A path filter for `scan`: files of periods in the years first..last."""

    def include(relative_path: str) -> bool:
        year = year_of(relative_path)
        return year is not None and first <= year <= last

    return include


def years_in_archive(root: str | Path, first: int, last: int) -> dict[int, int]:
    """How many files each year has in the archive, from their paths (nothing is read)."""
    from child_warehouse.storage import list_files

    counts: dict[int, int] = {}
    for listed in list_files(str(root)):
        year = year_of(listed.relative_path)
        if year is not None and first <= year <= last:
            counts[year] = counts.get(year, 0) + 1
    return dict(sorted(counts.items()))


def discover_history(run_id: str, first: int, last: int, root: str | None = None, url=None) -> list[str]:
    """Record the archive's files of years first..last in the ledger; return provinces to load."""
    from child_warehouse import ledger
    from child_warehouse.sources.landing import scan

    files = list(scan(root or settings.history_root(), include=in_years(first, last)))
    with transaction(url) as conn:
        added = ledger.record_landed_files(conn, files, run_id)
        provinces = ledger.pending_provinces(conn)
    log.info(
        "history %s-%s: %d files, %d new; provinces to load: %s", first, last, len(files), added, provinces
    )
    return provinces


def progress(first: int, last: int, url: str | None = None) -> list[tuple]:
    """One row per period of the years first..last: files, accepted, rejected, pending, rows."""
    with transaction(url) as conn, conn.cursor() as cur:
        states = {
            "accepted": sorted(ledger.ACCEPTED),
            "rejected": ledger.Status.REJECTED.value,
            "waiting": sorted({*ledger.PENDING, ledger.Status.LOADED}),
        }
        cur.execute(PROGRESS_SQL, {"first": first, "last": last, **states})
        return cur.fetchall()


def progress_table(rows: list[tuple]) -> str:
    widths = ((9, "<"), (5, ">"), (8, ">"), (8, ">"), (7, ">"), (9, ">"), (9, ">"))
    names = ("period", "files", "accepted", "rejected", "pending", "provinces", "rows")
    lines = [
        " ".join(f"{value:{align}{width}}" for value, (width, align) in zip(row, widths, strict=True))
        for row in [names, *rows]
    ]
    return "\n".join(lines) if rows else "No submissions in those years."


def _minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


def in_pause(now: dt.datetime, window: str | None) -> bool:
    """Whether `now` (aware) falls in the HH:MM-HH:MM window, Vietnam time (it may wrap midnight)."""
    if not window:
        return False
    import pendulum

    local = pendulum.instance(now).in_timezone(settings.TIMEZONE)
    start, end = (_minutes(t) for t in window.split("-"))
    minute = local.hour * 60 + local.minute
    return start <= minute < end if start <= end else (minute >= start or minute < end)
