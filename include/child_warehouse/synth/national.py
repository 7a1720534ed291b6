"""National runs: any number of children and periods, faults, two worker processes, streamed to disk."""

from __future__ import annotations

import csv
import multiprocessing
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from child_warehouse.linkage.register import COLUMNS as EXTRACT_COLUMNS
from child_warehouse.synth.department_national import write_department_sources
from child_warehouse.synth.faults import FaultRates
from child_warehouse.synth.geography import LAST_PRE_REFORM_DAY, load_geography
from child_warehouse.synth.layouts import DEFAULT_FORMATS
from child_warehouse.synth.periods import parse_period
from child_warehouse.synth.population import day_number
from child_warehouse.synth.province import Window
from child_warehouse.synth.province_files import PART_FILES, Job, Result
from child_warehouse.synth.worker import run_job

HEADERS = {
    "persons": EXTRACT_COLUMNS,  # the register adapter's contract (linkage/register.py)
    "child_links": ("province_code", "period", "record_id", "personal_id"),
    "case_links": ("province_code", "period", "case_id", "personal_id"),
    "faults": ("file", "row", "column", "fault", "record_id", "original", "written"),
    "submissions": (
        "file",
        "province_code",
        "period",
        "submission_type",
        "version",
        "format",
        "encoding",
        "late",
        "submitted_at",
        "rows",
    ),
    "expected_by_province": (
        "province_code",
        "period",
        "children_total",
        "hcdb_children",
        "hcdb_supported",
        "at_risk_children",
        "at_risk_supported",
        "records_with_personal_id",
    ),
    "expected_cases": (
        "province_code",
        "period",
        "cases_total",
        "abuse_cases",
        "drowning_cases",
        "intervened_cases",
    ),
}


@dataclass(frozen=True)
class NationalSummary:
    children: int  # child-record rows written, every period and file
    register_persons: int
    files: int
    faults: dict[str, int]
    seconds: float

    def line(self) -> str:
        return (
            f"{self.register_persons} register persons, {self.children} child-record rows, "
            f"{self.files} files, "
            f"{sum(self.faults.values())} faults in {self.seconds:.1f} s"
        )


def make_window(children: int, ratio: float, periods: list[str]) -> tuple[Window, object]:
    parsed = [parse_period(label) for label in periods]
    latest, earliest = max(p.end for p in parsed), min(p.end for p in parsed)
    first_birth = min(earliest.replace(year=earliest.year - 16), latest.replace(year=latest.year - 18))
    pre = [p.end for p in parsed if p.pre_reform]
    since = min(pre) if pre else LAST_PRE_REFORM_DAY
    return Window(
        day_number(first_birth + timedelta(days=1)), day_number(latest), day_number(latest), children, ratio
    ), since


def _merge(out_root: Path, codes: list[str]) -> None:
    """Province parts, in code order, into the register extract and the truth files."""
    parts = out_root / "truth" / ".parts"
    for name in PART_FILES:
        target = out_root / ("register" if name == "persons" else "truth") / f"{name}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as sink:
            sink.write(",".join(HEADERS[name]) + "\n")
            for code in codes:
                with (parts / code / f"{name}.csv").open(encoding="utf-8", newline="") as source:
                    shutil.copyfileobj(source, sink, 1 << 20)
    shutil.rmtree(parts)


def _progress(done: int, total: int, result: Result, started: float, persons: int) -> None:
    elapsed = time.monotonic() - started
    eta = elapsed / done * (total - done)
    sys.stderr.write(
        f"\r[{done:2d}/{total}] province {result.code} done; {persons:,} persons; "
        f"{elapsed:5.1f} s elapsed, ~{eta:4.0f} s left "
    )
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def generate_national(
    out_root: Path,
    *,
    children: int,
    register_ratio: float = 4.0,
    seed: int = 2025,
    periods: list[str] | None = None,
    faults: FaultRates | None = None,
    formats: dict[str, float] | None = None,
    case_rate: float = 3e-4,
    workers: int = 2,
    progress: bool = True,
) -> NationalSummary:
    """Writes ``out_root``/landing, /register/persons.csv and /truth/*.csv; same seed, same bytes."""
    started, out_root = time.monotonic(), Path(out_root)
    labels = periods or ["2026-Q3"]
    window, since = make_window(children, register_ratio, labels)
    geo = load_geography(since)
    rates = faults if faults is not None else FaultRates()
    base = Job(seed=seed, code="", slot=0, window=window, periods=tuple(labels), rates=rates,
               formats=formats or DEFAULT_FORMATS, case_rate=case_rate,
               movers=round(children * rates.moved_duplicate), landing=out_root / "landing",
               parts=out_root / "truth" / ".parts", since=since)  # fmt: skip
    codes = list(geo.new_provinces)
    # Largest first, so the two workers finish together.
    jobs = sorted(
        (replace(base, code=c, slot=i) for i, c in enumerate(codes)), key=lambda j: -geo.new_share(j.code)
    )
    results = _run_jobs(jobs, workers, started if progress else None)
    _merge(out_root, codes)
    department = write_department_sources(seed, out_root / "landing", labels, rates)
    for name, rows in (("faults", department.faults), ("submissions", department.submissions)):
        with (out_root / "truth" / f"{name}.csv").open("a", encoding="utf-8", newline="") as sink:
            csv.writer(sink, lineterminator="\n").writerows(rows)
    found: Counter[str] = Counter(department.counts)
    for result in results:
        found.update(result.faults)
    return NationalSummary(
        children=sum(r.child_rows for r in results),
        register_persons=sum(r.persons for r in results),
        files=sum(r.files for r in results),
        faults=dict(found),
        seconds=time.monotonic() - started,
    )


def _run_jobs(jobs: list[Job], workers: int, started: float | None) -> list[Result]:
    """Runs the provinces on ``workers`` processes; ``started`` set means show progress.

    Started by a fork server, not forked from the caller: a caller with threads (the benchmark's
    memory sampler, DuckDB's pool after a linkage run) forked with a lock held leaves the workers
    waiting on it for ever, as `make bench-scaling` did at its second size."""
    results: list[Result] = []
    with multiprocessing.get_context("forkserver").Pool(workers) if workers > 1 else _Serial() as pool:
        for result in pool.imap_unordered(run_job, jobs):
            results.append(result)
            if started is not None:
                _progress(len(results), len(jobs), result, started, sum(r.persons for r in results))
        pool.close()
        pool.join()  # reaped workers count in getrusage(RUSAGE_CHILDREN) and /usr/bin/time
    return results


class _Serial:
    """The Pool interface, in-process: for one worker and for tests."""

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def close(self) -> None:
        return None

    def join(self) -> None:
        return None

    @staticmethod
    def imap_unordered(function, items):
        return map(function, items)
