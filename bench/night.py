"""One night as the DAG runs it, stage by stage, on a scratch database: discover, per province load,
validate and link by ID, feedback, national probabilistic linkage, dbt build, run summary."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import Measurement, measured
from bench.memory import MemorySampler
from child_warehouse.db.connection import connect, transaction
from child_warehouse.orchestration.dbt import NIGHTLY_BUILD_FLAGS

NIGHT_STAGES = (
    "discover",
    "ingest",
    "validate",
    "feedback",
    "statistics",
    "link deterministic",
    "link probabilistic",
    "dbt build",
    "run summary",
)


@dataclass
class Night:
    run_id: str
    stages: dict[str, Measurement] = field(default_factory=dict)
    ingest_by_kind: dict[str, Measurement] = field(default_factory=dict)  # "child_records csv", ...
    dbt_exit_code: int = 0
    dbt_slowest: list[tuple[str, float]] = field(default_factory=list)  # the build's slowest nodes

    @property
    def total(self) -> Measurement:
        whole = Measurement("whole night")
        for name in NIGHT_STAGES:
            if name in self.stages:
                whole.seconds += self.stages[name].seconds
                whole.peak.merge(self.stages[name].peak)
        whole.rows = self.stages["ingest"].rows if "ingest" in self.stages else 0
        return whole


def _scalar(url: str, query: str, params: tuple = ()) -> int:
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchone()[0] or 0


def _run_rows(url: str, run_id: str, submission_type: str | None = None) -> int:
    return _scalar(
        url,
        """select coalesce(sum(rows_in_file), 0) from ledger.submissions
           where processed_run_id = %s and (%s::text is null or submission_type = %s)""",
        (run_id, submission_type, submission_type),
    )


def _ingest_province(sampler: MemorySampler, night: Night, province: str, url: str) -> None:
    """stage.load_province's loop, timed per file so CSV can be set against its floor."""
    from child_warehouse import ledger
    from child_warehouse.ingest.stage import load_submission

    with closing(connect(url)) as conn:  # one connection for the province's files, as load_province
        with conn:
            pending = ledger.pending_submissions(conn, province)
        for submission in pending:
            kind = f"{submission.submission_type} {Path(submission.file_name).suffix.lstrip('.').lower()}"
            with measured(sampler, kind) as step:
                load_submission(submission, night.run_id, url, conn)
            step.rows = _scalar(
                url,
                "select coalesce(rows_in_file, 0) from ledger.submissions where submission_id = %s",
                (submission.submission_id,),
            )
            night.ingest_by_kind.setdefault(kind, Measurement(kind)).add(step)
            night.stages.setdefault("ingest", Measurement("ingest")).add(step)


def _stage(sampler: MemorySampler, night: Night, name: str, work: Callable[[], object]) -> object:
    try:
        with measured(sampler, name) as step:
            result = work()
    except Exception as error:  # the report names the stage that failed and keeps those before it
        night.stages[f"{name} (failed)"] = step  # how long it ran and the memory it took until then
        error.stage = name
        error.partial_night = night
        raise
    night.stages.setdefault(name, Measurement(name)).add(step)
    return result


def dbt_build(url: str, target_dir: Path) -> int:
    """`child-warehouse dbt build` (models and tests), as Cosmos runs it, against this database."""
    cli = Path(sys.executable).parent / "child-warehouse"
    env = {**os.environ, "CHILD_WAREHOUSE_DB_URL": url, "CHILD_WAREHOUSE_DBT_TARGET_DIR": str(target_dir)}
    result = subprocess.run(
        [str(cli), "dbt", "build", "--quiet", *NIGHTLY_BUILD_FLAGS],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(
            f"dbt build exited {result.returncode}:\n{result.stdout[-3000:]}{result.stderr[-2000:]}\n"
        )
    return result.returncode


def run_night(
    landing: Path,
    url: str,
    sampler: MemorySampler,
    work: Path,
    before_probabilistic: Callable[[str], None] | None = None,
) -> Night:
    """Every stage of one night over whatever is new under `landing`; each stage timed and measured."""
    from child_warehouse.feedback.report import write_feedback_for_run
    from child_warehouse.linkage.deterministic import link_pending
    from child_warehouse.linkage.nightly import link_unlinked_records
    from child_warehouse.reporting.runs import record_run_summary
    from child_warehouse.sources.discover import discover_submissions
    from child_warehouse.validation.runner import refresh_raw_statistics, validate_province

    night = Night(run_id=f"bench-{uuid.uuid4().hex[:8]}")
    run_id = night.run_id
    provinces = _stage(sampler, night, "discover", lambda: discover_submissions(run_id, str(landing), url))
    for province in provinces:
        _ingest_province(sampler, night, province, url)
        _stage(sampler, night, "validate", lambda p=province: validate_province(p, url, run_id))
    _stage(sampler, night, "feedback", lambda: write_feedback_for_run(run_id, work / "feedback", url))
    # the DAG's refresh_statistics task (the raw tables analysed for linkage and dbt), then link_by_id
    _stage(sampler, night, "statistics", lambda: refresh_raw_statistics(url))
    _stage(sampler, night, "link deterministic", lambda: link_pending(run_id, url))
    if before_probabilistic:
        before_probabilistic(run_id)
    _stage(sampler, night, "link probabilistic", lambda: link_unlinked_records(run_id, url))
    night.dbt_exit_code = _stage(sampler, night, "dbt build", lambda: dbt_build(url, work / "dbt_target"))
    night.dbt_slowest = slowest_dbt_nodes(work / "dbt_target" / "run_results.json")
    _stage(sampler, night, "run summary", lambda: record_run_summary(run_id, url))
    _count_rows(night, url)
    return night


def slowest_dbt_nodes(run_results: Path, count: int = 10) -> list[tuple[str, float]]:
    """The build's `count` slowest models and tests (name, seconds), from dbt's run_results.json."""
    import json

    if not run_results.exists():
        return []
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    timed = sorted(((r["unique_id"], r["execution_time"]) for r in results), key=lambda x: -x[1])
    return [(f"{node.split('.')[0]} {node.split('.')[2]}", seconds) for node, seconds in timed[:count]]


def _count_rows(night: Night, url: str) -> None:
    """What each stage worked through: rows loaded, records linked, records scored, records built."""
    loaded = _run_rows(url, night.run_id)
    children = _run_rows(url, night.run_id, "child_records")
    unlinked = _scalar(
        url,
        """select count(*) from links.child_links as l join ledger.submissions as s using (submission_id)
           where s.processed_run_id = %s and l.method <> 'deterministic_id'""",
        (night.run_id,),
    )
    for name, rows in (
        ("discover", loaded),
        ("validate", loaded),
        ("feedback", loaded),
        ("statistics", loaded),
        ("link deterministic", children),
        ("link probabilistic", unlinked),
        ("run summary", loaded),
    ):
        if name in night.stages:
            night.stages[name].rows = rows
    if "dbt build" in night.stages:
        night.stages["dbt build"].rows = _scalar(url, "select count(*) from raw.child_records")
