"""One benchmark run at N children: generate, a full night, floors, peers, an incremental night."""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench import floors, peers
from bench.measure import Measurement, measured
from bench.memory import MemorySampler, postmaster_pid
from bench.night import Night, run_night
from child_warehouse import settings

RESUBMITTING_PROVINCES = 2  # 5 % of 34, rounded up


def server_pid() -> int | None:
    from child_warehouse import settings
    from child_warehouse.db import cluster

    if settings.external_db_url():
        return None
    return postmaster_pid(cluster.default_cluster().data_dir)


def _say(text: str) -> None:
    sys.stderr.write(f"bench: {text}\n")
    sys.stderr.flush()


def _as_dict(measurement: Measurement) -> dict:
    return {**asdict(measurement), "rows_per_second": measurement.rows_per_second}


def _night_dict(night: Night) -> dict:
    return {
        "run_id": night.run_id,
        "stages": {k: _as_dict(v) for k, v in night.stages.items()},
        "ingest_by_kind": {k: _as_dict(v) for k, v in night.ingest_by_kind.items()},
        "total": _as_dict(night.total),
        "dbt_exit_code": night.dbt_exit_code,
        "dbt_slowest": night.dbt_slowest,
    }


def resubmit(out: Path, count: int = RESUBMITTING_PROVINCES) -> list[str]:
    """`count` provinces send their child records again, corrected: their latest file less its last row."""
    latest: dict[str, tuple[int, str]] = {}
    with (out / "truth" / "submissions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["submission_type"] == "child_records" and int(row["rows"]) > 1:
                version = (int(row["version"]), row["file"], row["format"], row["encoding"])
                if version[:2] > latest.get(row["province_code"], (0, ""))[:2]:
                    latest[row["province_code"]] = version
    chosen = [
        (code, file) for code, (_, file, fmt, encoding) in sorted(latest.items())
        if fmt == "csv" and encoding == "utf-8"
    ][:count]  # fmt: skip
    # Dated as files that arrived during the day: discovery waits for a file written within the last
    # CHILD_WAREHOUSE_SETTLE_SECONDS (it may still be uploading), which is not the night's work.
    arrived = time.time() - 10 * max(settings.settle_seconds(), 6.0)
    for _, relative in chosen:
        original = out / "landing" / relative
        body = original.read_bytes().rstrip(b"\r\n")
        corrected = original.with_name("child_records.bench-resubmission.csv")
        corrected.write_bytes(body.rsplit(b"\n", 1)[0] + b"\n")
        os.utime(corrected, (arrived, arrived))
    return [code for code, _ in chosen]


def _floors(url: str, run_id: str, work: Path, night: Night) -> dict:
    clean = work / "clean_child_records.csv"
    csv_rows = floors.export_clean_csv(url, run_id, clean, ".csv")
    server_side = floors.can_copy_server_side(url)
    ingest_seconds = floors.ingest_floor(url, clean, server_side)
    validation_seconds, validation_rows, left_out = floors.validation_floor(url, run_id)
    link_seconds, link_rows = floors.linkage_floor(url, run_id)
    return {
        "ingest": {"seconds": ingest_seconds, "rows": csv_rows, "server_side": server_side},
        "validate": {"seconds": validation_seconds, "rows": validation_rows, "rules_left_out": left_out},
        "link deterministic": {"seconds": link_seconds, "rows": link_rows},
        # Run even when dbt build failed somewhere: the report names the exit code beside it.
        "dbt build": floors.dbt_floors(url, work / "dbt_target" / "manifest.json"),
    }


def run_once(children: int, limits: dict[str, int], keep: bool = False) -> dict:
    """Everything measured at `children`; the scratch database and files are removed afterwards."""
    from child_warehouse.operations.scratch import scratch_database
    from child_warehouse.synth.national import generate_national

    work = Path(tempfile.mkdtemp(prefix=f"cw-bench-{children}-"))
    work.chmod(0o755)
    out = work / "national"
    result: dict = {
        "children": children,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "code": _code_version(),
        "load_average_start": list(_loadavg()),
    }
    try:
        with MemorySampler(server_pid()) as sampler:
            result["memory_includes_server"] = sampler.measures_server
            with measured(sampler, "generate") as generate:
                summary = generate_national(out, children=children, workers=2, progress=False)
            generate.rows = summary.children
            _say(f"generated {summary.line()}")
            result["generate"] = _as_dict(generate)
            result["register_persons"] = summary.register_persons
            result["files"] = summary.files
            with scratch_database() as url:
                try:
                    _measure_warehouse(result, url, out, work, sampler, children=children, limits=limits)
                except Exception as error:  # a size the machine cannot take: keep what was measured
                    partial = getattr(error, "partial_night", None)
                    if partial is not None:
                        result["night"] = _night_dict(partial)
                    result["failed"] = {
                        "stage": getattr(error, "stage", "after the night"),
                        "error": f"{type(error).__name__}: {str(error).splitlines()[-1][:400]}",
                    }
                    _say(f"failed in {result['failed']['stage']}: {result['failed']['error']}")
        result["load_average_end"] = list(_loadavg())
        return result
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def _measure_warehouse(
    found: dict,
    url: str,
    out: Path,
    work: Path,
    sampler: MemorySampler,
    *,
    children: int,
    limits: dict[str, int],
) -> None:
    from child_warehouse import ledger
    from child_warehouse.db.connection import transaction
    from child_warehouse.linkage.probabilistic import export
    from child_warehouse.linkage.register import load_register_extract

    with measured(sampler, "register extract") as register:
        register.rows = load_register_extract(out / "register" / "persons.csv", url)
    found["register"] = _as_dict(register)
    linkage_inputs = work / "linkage_inputs"
    with_linkage_peer = children <= limits["recordlinkage"]

    def keep_linkage_inputs(run_id: str) -> None:
        if with_linkage_peer:  # the very files Splink reads, written outside the timed stages
            linkage_inputs.mkdir()
            with transaction(url) as conn:
                export(conn, ledger.to_match(conn), linkage_inputs)

    _say(f"register loaded in {register.seconds:.1f} s; the night")
    night = run_night(out / "landing", url, sampler, work, keep_linkage_inputs)
    found["night"] = _night_dict(night)
    _say(
        f"night in {night.total.seconds:.1f} s: "
        + ", ".join(f"{k} {v.seconds:.1f}" for k, v in night.stages.items())
    )
    found["floors"] = _floors(url, night.run_id, work, night)
    _say(f"floors: {found['floors']}")
    found["peers"] = {}
    if children <= limits["pandas"]:
        found["peers"] = _peer_runs(url, out, work, night.run_id, limits)
    if with_linkage_peer:
        found["peers"]["recordlinkage"] = peers.recordlinkage_peer(
            linkage_inputs / "records.csv", linkage_inputs / "register.csv"
        )
    _say(f"peers: {found['peers']}")
    provinces = resubmit(out)
    started = time.perf_counter()
    incremental = run_night(out / "landing", url, sampler, work)
    found["incremental"] = {
        **_night_dict(incremental),
        "provinces": provinces,
        "wall_seconds": time.perf_counter() - started,
    }


def _peer_runs(url: str, out: Path, work: Path, run_id: str, limits: dict[str, int]) -> dict:
    encodings = peers.submission_encodings(out / "truth" / "submissions.csv")
    landing = out / "landing"
    all_rows = work / "all_child_records.csv"
    floors.export_clean_csv(url, run_id, all_rows, "")
    return {
        "pandas csv": peers.pandas_to_sql(url, landing, encodings, ".csv", limits["to_sql_sample"]),
        "pandas xlsx": peers.pandas_to_sql(url, landing, encodings, ".xlsx", limits["to_sql_sample"] // 4),
        "gx pandas": peers.gx_pandas(all_rows),
    }


def _code_version() -> str:
    """The commit measured, and whether the work tree differed from it."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return "unknown (no git)"
    root = Path(__file__).resolve().parents[1]

    def ask(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([git, *args], cwd=root, capture_output=True, text=True, check=False)

    head, changes = ask("rev-parse", "--short", "HEAD"), ask("status", "--porcelain")
    if head.returncode:
        return "unknown (not a git work tree)"
    return head.stdout.strip() + (" with uncommitted changes" if changes.stdout.strip() else "")


def _loadavg() -> tuple[float, float, float]:
    import os

    return os.getloadavg()
