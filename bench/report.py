"""docs/benchmarks.md from the runs just measured: tables of figures, and each target with its gap."""

from __future__ import annotations

import math

from bench.night import NIGHT_STAGES

TARGET_NIGHT_SECONDS = 600
TARGET_PEAK_MIB = 2048
FLOOR_TARGETS = {"ingest": 3.0, "validate": 3.0, "link deterministic": 3.0, "dbt build": 3.0}
PANDAS_SPEEDUP_TARGET = 50.0
INCREMENTAL_TARGET = 0.15
SCALING_TARGET = 1.2
# The XLSX baseline: 254,314 child-record rows in 115 s at 1M (openpyxl); the target is 5× that.
XLSX_BASELINE_ROWS_PER_S = 254_314 / 115
XLSX_SPEEDUP_TARGET = 5.0
DEMO_TARGET_SECONDS = 60.0


def _n(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def _x(ratio: float | None) -> str:
    """A ratio with the precision it needs: 0.35×, 2.41×, 122.3×."""
    return f"{_n(ratio, 2 if ratio is not None and ratio < 10 else 1)}×"


def _rate(rows: int, seconds: float) -> float | None:
    return rows / seconds if seconds else None


def _verdict(measured: float | None, target: float, lower_is_better: bool = True) -> str:
    if measured is None or math.isnan(measured):
        return "not measured"
    met = measured <= target if lower_is_better else measured >= target
    if met:
        return "**met**"
    gap = measured / target if lower_is_better else target / measured
    return f"**missed** ({_n(gap, 2)}× off)"


def stage_table(run: dict) -> list[str]:
    lines = [
        "| stage | wall s | rows | rows/s | peak bench MiB | peak PostgreSQL MiB | peak together MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]

    def row(label: str, m: dict) -> None:
        peak = m["peak"]
        lines.append(
            f"| {label} | {_n(m['seconds'], 2)} | {m['rows']:,} | {_n(_rate(m['rows'], m['seconds']), 0)} | "
            f"{_n(peak['bench_mib'], 0)} | {_n(peak['server_mib'], 0)} | {_n(peak['total_mib'], 0)} |"
        )

    row("generate (not part of the night)", run["generate"])
    row("register extract (monthly, not part of the night)", run["register"])
    for name in NIGHT_STAGES:
        if name in run["night"]["stages"]:
            row(name, run["night"]["stages"][name])
        if f"{name} (failed)" in run["night"]["stages"]:
            row(f"{name} (**failed** after)", run["night"]["stages"][f"{name} (failed)"])
    whole = "**whole night**" if "failed" not in run else "night before the stage that failed"
    row(whole, run["night"]["total"])
    return lines


def ingest_kinds(run: dict) -> list[str]:
    lines = ["| file kind | files' rows | wall s | rows/s |", "|---|---:|---:|---:|"]
    for kind, m in sorted(run["night"]["ingest_by_kind"].items()):
        lines.append(
            f"| {kind} | {m['rows']:,} | {_n(m['seconds'], 2)} | {_n(_rate(m['rows'], m['seconds']), 0)} |"
        )
    return lines


def floor_ratios(run: dict) -> dict[str, tuple[float, float, str]]:
    """stage -> (stage seconds, floor seconds, what the floor is); a floor over no rows is left out."""
    stages, floors = run["night"]["stages"], run["floors"]
    csv_ingest = run["night"]["ingest_by_kind"].get("child_records csv", {"seconds": 0.0})
    where = "server-side" if floors["ingest"]["server_side"] else "client-side (server cannot read files)"
    found = {
        "ingest": (
            csv_ingest["seconds"],
            floors["ingest"]["seconds"],
            f"ingest of the child-record CSV files vs a {where} COPY of the same "
            f"{floors['ingest']['rows']:,} clean rows into an unindexed table",
        ),
        "validate": (
            stages["validate"]["seconds"],
            floors["validate"]["seconds"],
            f"whole validation stage vs one SELECT per raw table evaluating every row rule "
            f"({floors['validate']['rows']:,} rows)",
        ),
        "link deterministic": (
            stages["link deterministic"]["seconds"],
            floors["link deterministic"]["seconds"],
            "link by ID (the links' analysis included; the raw tables' statistics are the stage "
            "before it) vs one hash join of the accepted records to the register on the parsed "
            "personal ID (CREATE TABLE AS)",
        ),
    }
    found = {stage: value for stage, value in found.items() if floors[stage]["rows"]}
    dbt = floors.get("dbt build") or {}
    if "models" in dbt:
        found["dbt build"] = (
            stages["dbt build"]["seconds"],
            dbt["models"],
            f"dbt build (models and tests) vs its {int(dbt.get('models_run', 0))} table models' SQL as "
            "dbt compiled it, each run as a plain CREATE TABLE AS in dependency order",
        )
    elif "from_linked" in dbt:  # runs measured before the floor was redefined
        found["dbt build"] = (
            stages["dbt build"]["seconds"],
            dbt["from_linked"],
            "dbt build vs one CREATE TABLE AS of the scorecard's counts "
            "(special_circumstances_by_province) from intermediate.int_child_records_linked",
        )
    if "from_raw" in dbt:
        found["dbt build (from raw)"] = (
            stages["dbt build"]["seconds"],
            dbt["from_raw"],
            "dbt build vs the same counts in one CREATE TABLE AS straight from "
            "raw.child_records, links and the quarantine (parsing included)",
        )
    return found


def floor_table(run: dict) -> list[str]:
    lines = [
        "| stage | stage s | floor s | ratio | target | verdict | floor |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for stage, (seconds, floor, what) in floor_ratios(run).items():
        ratio = seconds / floor if floor and not math.isnan(floor) else None
        target = FLOOR_TARGETS.get(stage, FLOOR_TARGETS["dbt build"])
        lines.append(
            f"| {stage} | {_n(seconds, 2)} | {_n(floor, 3)} | {_x(ratio)} | ≤ {target:g}× | "
            f"{_verdict(ratio, target)} | {what} |"
        )
    return lines


def peer_speedups(run: dict) -> dict[str, tuple[float | None, float | None, str]]:
    """peer -> (our rows/s, the peer's rows/s, what was compared)."""
    peers, kinds, stages = run.get("peers") or {}, run["night"]["ingest_by_kind"], run["night"]["stages"]
    found = {}
    for fmt in ("csv", "xlsx"):
        peer, ours = peers.get(f"pandas {fmt}"), kinds.get(f"child_records {fmt}")
        if peer and ours and peer["rows"]:
            found[f"pandas read_{'csv' if fmt == 'csv' else 'excel'} + to_sql ({fmt})"] = (
                _rate(ours["rows"], ours["seconds"]),
                _rate(peer["rows"], peer["seconds"]),
                f"sample of {peer['files']} files, {peer['rows']:,} rows; ours: all {ours['rows']:,} rows",
            )
    if peer := peers.get("gx pandas"):
        found["GX pandas engine (validation)"] = (
            _rate(stages["validate"]["rows"], stages["validate"]["seconds"]),
            _rate(peer["rows"], peer["seconds"]),
            f"read_csv + {peer['rules']} rules over all {peer['rows']:,} child records; "
            "ours: the whole validation stage (every file type)",
        )
    if peer := peers.get("recordlinkage"):
        ours = stages["link probabilistic"]
        found["recordlinkage (probabilistic linkage)"] = (
            _rate(ours["rows"], ours["seconds"]),
            _rate(peer["records"], peer["seconds"]),
            f"{peer['records']:,} unlinked records × {peer['register']:,} register candidates, "
            f"{peer['pairs']:,} pairs from the same six blocks, ECM; ours: the whole stage (export, Splink, "
            "write-back, pseudonyms)",
        )
    return found


def peer_table(run: dict) -> list[str]:
    lines = [
        "| peer | ours rows/s | peer rows/s | ours faster by | target | verdict | compared |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for peer, (ours, theirs, what) in peer_speedups(run).items():
        speedup = ours / theirs if ours and theirs else None
        target = PANDAS_SPEEDUP_TARGET if peer.startswith("pandas") else 1.0
        lines.append(
            f"| {peer} | {_n(ours, 0)} | {_n(theirs, 0)} | {_x(speedup)} | ≥ {target:g}× | "
            f"{_verdict(speedup, target, lower_is_better=False)} | {what} |"
        )
    return lines
