"""`child-warehouse backfill`: one `backfill_history` DAG run per year, oldest first, through Airflow.

What a backfill loads and in which order is operations/backfill.py; this module starts the runs.
"""

from __future__ import annotations

import datetime as dt

from child_warehouse import settings
from child_warehouse.operations.backfill import POOL, progress, progress_table
from child_warehouse.orchestration.local_run import airflow, run_dag

POOL_SLOTS = 2
DAG_ID = "backfill_history"


def ensure_pool() -> None:
    """The backfill's own pool, so its tasks never take the nightly load's slots."""
    result = airflow(["pools", "set", POOL, str(POOL_SLOTS), "History backfill"], capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"could not create the Airflow pool {POOL}: {result.stderr.strip()[-500:]}")


def run_years(first: int, last: int, root: str, counts: dict[int, int], echo) -> int:
    """One `backfill_history` run per year with files, oldest first; stops at the first failed run."""
    ensure_pool()
    for year in range(first, last + 1):
        if not counts.get(year):
            echo(f"{year}: no submissions in the archive, skipped")
            continue
        log_path = settings.local_dir() / "logs" / f"backfill-{year}.log"
        started = dt.datetime.now(dt.UTC)
        conf = {"year_from": year, "year_to": year, "history_root": str(root)}
        # The run's logical date is when it runs: a past one would precede the DAG's start date.
        outcome = run_dag(DAG_ID, started.isoformat(timespec="seconds"), log_path, conf, echo=echo)
        seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
        echo(f"{year}: run {outcome.run_id or '-'} {outcome.state} in {seconds:.0f} s (log: {log_path})")
        echo(progress_table(progress(year, year)))
        if outcome.state != "success":
            echo("  not successful: " + ", ".join(outcome.failed_tasks))
            echo(f"Fix the cause, then resume: child-warehouse backfill --from {year} --to {last}")
            return 1
    return 0
