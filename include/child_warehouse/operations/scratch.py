"""The night's stages (discover, load, validate, link) on any landing folder and register extract, in
a scratch database on the same server: linkage and validation evaluations, the benchmark."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from child_warehouse.db import template


@contextmanager
def scratch_database() -> Iterator[str]:
    """A fresh warehouse (a copy of the template) that is dropped afterwards; yields its URL."""
    with template.fresh_database("cw_scratch") as url:
        yield url


def run_stages(
    landing: Path, register_csv: Path, url: str, *, probabilistic: bool = True
) -> dict[str, float]:
    """Load the register and every file in the landing folder; return each stage's seconds."""
    from child_warehouse.ingest.stage import load_province
    from child_warehouse.linkage.nightly import link_unlinked_records
    from child_warehouse.linkage.register import load_register_extract
    from child_warehouse.sources.discover import discover_submissions
    from child_warehouse.validation.runner import validate_province

    timings: dict[str, float] = {}
    run_id = f"evaluation-{uuid.uuid4().hex[:6]}"

    def timed(stage: str, work) -> object:
        start = time.perf_counter()
        result = work()
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start
        return result

    timed("register", lambda: load_register_extract(register_csv, url))
    provinces = timed("discover", lambda: discover_submissions(run_id, str(landing), url))
    for province in provinces:
        timed("load", lambda p=province: load_province(p, run_id, url))
        timed("validate", lambda p=province: validate_province(p, url, run_id))
    timed("link by ID", lambda: link_by_id(run_id, url))
    if probabilistic:  # not when the data is there to train the model
        timed("link probabilistically", lambda: link_unlinked_records(run_id, url))
    return timings


def link_by_id(run_id: str, url: str) -> dict:
    """What the DAG's `refresh_statistics` and `link_by_id` tasks do, as one login: the raw tables'
    statistics refreshed, then linkage by ID (also the bench's stage)."""
    from child_warehouse.linkage.deterministic import link_pending
    from child_warehouse.validation.runner import refresh_raw_statistics

    refresh_raw_statistics(url)
    return link_pending(run_id, url)
