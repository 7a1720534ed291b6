"""Assemble docs/benchmarks.md: machine, per-run tables, targets with their gaps, scaling, scale-out."""

from __future__ import annotations

import math

from bench import report
from bench.report import _n, _verdict, _x


def incremental_share(run: dict) -> float | None:
    full, incremental = run["night"]["total"]["seconds"], run["incremental"]["total"]["seconds"]
    return incremental / full if full else None


def night_shares(run: dict) -> str:
    """Each stage's share of the whole night, largest first."""
    total = run["night"]["total"]["seconds"] or 1.0
    stages = sorted(run["night"]["stages"].items(), key=lambda item: -item[1]["seconds"])
    return ", ".join(f"{name} {_n(100 * m['seconds'] / total, 1)} %" for name, m in stages) + "."


def incremental_lines(run: dict) -> list[str]:
    inc = run["incremental"]
    lines = [
        f"Resubmitting provinces: {', '.join(dict.fromkeys(inc['provinces']))} (child records, corrected: "
        "one row fewer). The night after the full load: "
        f"**{_n(inc['total']['seconds'], 2)} s**, "
        f"{_n(100 * (incremental_share(run) or 0), 1)} % of the full night "
        f"(target ≤ 15 %: {_verdict(incremental_share(run), report.INCREMENTAL_TARGET)}).",
        "",
        "| stage | wall s | rows |",
        "|---|---:|---:|",
    ]
    for name, m in inc["stages"].items():
        lines.append(f"| {name} | {_n(m['seconds'], 2)} | {m['rows']:,} |")
    slowest = {"full night": run["night"].get("dbt_slowest"), "incremental night": inc.get("dbt_slowest")}
    if all(slowest.values()):
        lines += ["", "The dbt build's slowest models and tests (seconds, each on one of dbt's threads):", ""]
        lines += ["| full night | s | incremental night | s |", "|---|---:|---|---:|"]
        for (full, full_s), (night, night_s) in zip(*slowest.values(), strict=False):
            lines.append(f"| {full} | {_n(full_s, 2)} | {night} | {_n(night_s, 2)} |")
    return lines


def per_record_us(run: dict) -> dict[str, float]:
    children = run["children"]
    costs = {name: 1e6 * m["seconds"] / children for name, m in run["night"]["stages"].items()}
    costs["whole night"] = 1e6 * run["night"]["total"]["seconds"] / children
    return costs


def scaling_lines(runs: list[dict]) -> list[str]:
    if len(runs) < 2:
        return [
            f"Only N = {runs[0]['children']:,} ran in this invocation; run `make bench-scaling` for the "
            "per-record cost at 250k against 1M."
        ]
    costs = {run["children"]: per_record_us(run) for run in runs}
    sizes = sorted(costs)
    header = " | ".join(f"{n:,} µs/record" for n in sizes)
    lines = [f"| stage | {header} | {sizes[-1]:,} ÷ {sizes[-2]:,} |", "|---|" + "---:|" * (len(sizes) + 1)]
    for stage in costs[sizes[-1]]:
        values = " | ".join(_n(costs[n].get(stage), 1) for n in sizes)
        small, large = costs[sizes[-2]].get(stage), costs[sizes[-1]].get(stage)
        lines.append(f"| {stage} | {values} | {_n(large / small if small else None, 2)}× |")
    return lines


def scaling_ratio(runs: list[dict]) -> tuple[float | None, str]:
    """Whole-night cost per record at 1M over that at 250k (the issue's pair) when both ran, else at
    the largest N over the next largest, and which they are."""
    by_size = {run["children"]: per_record_us(run)["whole night"] for run in runs}
    if len(by_size) < 2:
        return None, "needs two sizes (`make bench-scaling`)"
    if {250_000, 1_000_000} <= set(by_size):
        small, large = 250_000, 1_000_000
    else:
        small, large = sorted(by_size)[-2:]
    return by_size[large] / by_size[small], f"{large:,} against {small:,}"


def target_run(runs: list[dict]) -> dict:
    """The run the 1M targets are judged on: the 1M run, else the largest."""
    return next((r for r in runs if r["children"] == 1_000_000), max(runs, key=lambda r: r["children"]))


NATIONAL_CHILDREN = 25_000_000


def extrapolation_lines(runs: list[dict]) -> list[str]:
    """Each stage's time and peak memory at a national rebuild (25M children, 100M register),
    extrapolated from the two largest runs as t = a·N^k (k measured between them), not guessed."""
    sized = sorted(runs, key=lambda r: r["children"])
    if len(sized) < 2 or sized[-1]["children"] < 1_000_000:
        return [
            "Needs two finished runs, the larger at 1M children or more (`make bench-scaling`): not "
            "measured in the runs reported here."
        ]
    small, large = sized[-2], sized[-1]
    ratio = large["children"] / small["children"]
    factor = NATIONAL_CHILDREN / large["children"]
    lines = [
        f"From the runs at {small['children']:,} and {large['children']:,} children (register "
        f"{small['register_persons']:,} and {large['register_persons']:,}): for each stage, the exponent "
        f"k = log(t₂/t₁) / log({ratio:g}) between them, and t at {NATIONAL_CHILDREN:,} children = "
        f"t₂ · {factor:g}^max(k, 1) (a stage reads every row, so it grows at least linearly; a smaller "
        "k is fixed costs spread over more rows); memory as t₂'s peak · "
        f"{factor:g}^k for its own k. One machine like this one, nothing changed.",
        "",
        f"| stage | s at {small['children']:,} | s at {large['children']:,} | k | s at 25M (extrapolated) | "
        f"peak together MiB at {large['children']:,} | MiB at 25M (extrapolated) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = []
    for name, m2 in large["night"]["stages"].items():
        m1 = small["night"]["stages"].get(name)
        if not m1 or m1["seconds"] <= 0 or m2["seconds"] <= 0:
            continue
        k = math.log(m2["seconds"] / m1["seconds"]) / math.log(ratio)
        # Every stage reads every row, so it grows at least linearly: a smaller exponent between two
        # sizes is fixed costs being spread over more rows, which stops once they are negligible.
        at_25m = m2["seconds"] * factor ** max(k, 1.0)
        mem1, mem2 = m1["peak"]["total_mib"], m2["peak"]["total_mib"]
        km = math.log(mem2 / mem1) / math.log(ratio) if mem1 > 0 and mem2 > 0 else 0.0
        rows.append((name, m1["seconds"], m2["seconds"], k, at_25m, mem2, mem2 * factor**km))
    for name, t1, t2, k, t25, mem2, mem25 in rows:
        lines.append(
            f"| {name} | {_n(t1, 1)} | {_n(t2, 1)} | {_n(k, 2)} | {_n(t25, 0)} | {_n(mem2, 0)} | "
            f"{_n(mem25, 0)} |"
        )
    total = sum(r[4] for r in rows)
    slowest = max(rows, key=lambda r: r[4])
    hungriest = max(rows, key=lambda r: r[6])
    if large["children"] < 4_000_000:  # the exponent is from runs below the 4M night in docs/linkage.md
        probabilistic_k = (
            "Nor does it see that the probabilistic step's pairs grow with the records times the "
            "register: the 4M-children night measured there grew faster between 1M and 4M than the k "
            "above, so that stage's 25M figure is a lower bound."
        )
    else:
        probabilistic_k = (
            f"The probabilistic step's k is measured here between {small['children']:,} and "
            f"{large['children']:,} children, where its candidate pairs grew with the records times "
            "the register (about the square of the population); the 25M figure assumes they go on "
            "growing so."
        )
    lines += [
        f"| **whole night** | {_n(sum(r[1] for r in rows), 1)} | {_n(sum(r[2] for r in rows), 1)} | | "
        f"**{_n(total, 0)}** ({_n(total / 3600, 1)} h) | | |",
        "",
        f"The stage that breaks first on one machine: **{slowest[0]}** by time "
        f"({_n(slowest[4] / 3600, 1)} h at 25M, k = {_n(slowest[3], 2)}), **{hungriest[0]}** by memory "
        f"({_n(hungriest[6] / 1024, 1)} GiB at 25M).",
        "",
        "This extrapolates time and memory only, not the probabilistic step's temporary disk: a child "
        "may be registered anywhere, so a slice's candidate pairs grow with its records times the register, "
        "and the step shrinks its slices as the register grows to keep each slice's spill bounded; "
        "with slices sized for 1M children, a 4M-children night's pairs filled the disk "
        "([docs/linkage.md](linkage.md#4m-children--16m-register)). " + probabilistic_k,
    ]
    return lines


def _floor_target_lines(runs: list[dict]) -> list[str]:
    """Each floor target at the largest run in which that floor was measured over rows."""
    lines = []
    for stage, target in report.FLOOR_TARGETS.items():
        measured = [r for r in runs if stage in report.floor_ratios(r)]
        if not measured:
            lines.append(f"| {stage} ≤ {target:g}× floor | not measured | not measured |")
            continue
        run = max(measured, key=lambda r: r["children"])
        ours, floor, _ = report.floor_ratios(run)[stage]
        ratio = ours / floor if floor else None
        lines.append(
            f"| {stage} ≤ {target:g}× floor | {_x(ratio)} at {run['children']:,} | "
            f"{_verdict(ratio, target)} |"
        )
    return lines


def _peer_target_lines(runs: list[dict]) -> list[str]:
    """Each peer at the largest run in which it ran."""
    lines = []
    names = dict.fromkeys(name for run in runs for name in report.peer_speedups(run))
    for peer in names:
        run = max((r for r in runs if peer in report.peer_speedups(r)), key=lambda r: r["children"])
        ours, theirs, _ = report.peer_speedups(run)[peer]
        target = report.PANDAS_SPEEDUP_TARGET if peer.startswith("pandas") else 1.0
        speedup = ours / theirs if ours and theirs else None
        lines.append(
            f"| ≥ {target:g}× faster than {peer} | {_x(speedup)} at {run['children']:,} | "
            f"{_verdict(speedup, target, lower_is_better=False)} |"
        )
    return lines


def xlsx_rows_per_second(run: dict) -> float | None:
    """Child-record XLSX files' rows per second in the night's ingest (the issue's XLSX figure)."""
    kind = run["night"]["ingest_by_kind"].get("child_records xlsx")
    return kind["rows"] / kind["seconds"] if kind and kind["seconds"] else None


def demo_target_line(demo: dict | None) -> str:
    if demo is None:
        return "| demo night through Airflow ≤ 60 s | not measured (`bench --demo`) | not measured |"
    night, first = demo["night"], demo["first"]
    return (
        f"| demo night through Airflow ≤ 60 s | {_n(night['seconds'], 1)} s (sample's night after the "
        f"first run; the first: {_n(first['seconds'], 1)} s) | "
        f"{_verdict(night['seconds'], report.DEMO_TARGET_SECONDS)} |"
    )


def demo_lines(demo: dict) -> list[str]:
    """The sample's two nights through Airflow, phase by phase (seconds from the run's start)."""
    first, night = demo["first"], demo["night"]
    lines = [
        f"{night['sample']}. Two nights through Airflow (`child-warehouse night`, the LocalExecutor "
        "stack `make demo` starts), each on a fresh warehouse with the sample landed: the first on new "
        "Airflow metadata and without dbt's partial parse, the second with both, as a second "
        f"`make demo` after the warehouse is dropped. Runs: {first['state']}, {night['state']}; "
        f"{night['tasks']} task instances.",
        "",
        "| phase | first night: from s | to s | after the first run: from s | to s | tasks |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for phase, span in night["phases"].items():
        before = first["phases"].get(phase, {})
        lines.append(
            f"| {phase} | {_n(before.get('from'), 1)} | {_n(before.get('to'), 1)} | "
            f"{_n(span['from'], 1)} | {_n(span['to'], 1)} | {span['tasks']} |"
        )
    lines.append(
        f"| **the DAG run** | 0.0 | **{_n(first['seconds'], 1)}** | 0.0 | **{_n(night['seconds'], 1)}** | |"
    )
    return lines


def targets_lines(runs: list[dict], demo: dict | None = None) -> list[str]:
    lines = ["| target | measured | verdict |", "|---|---|---|"]
    if not runs:
        return [*lines, demo_target_line(demo)]
    biggest = target_run(runs)
    night = biggest["night"]["total"]
    at_million = biggest["children"] == 1_000_000
    seconds = night["seconds"] if at_million else None
    scope = "1M children" if at_million else f"largest run {biggest['children']:,} children (no 1M run)"
    verdict = _verdict(seconds, report.TARGET_NIGHT_SECONDS)
    if not at_million:  # say how far off a straight line through the largest run would be
        linear = night["seconds"] * 1_000_000 / biggest["children"]
        times = _x(linear / report.TARGET_NIGHT_SECONDS)
        verdict += f"; linear extrapolation to 1M: {_n(linear, 0)} s, {times} the target"
    lines.append(f"| whole night ≤ 10 min at 1M | {_n(night['seconds'], 1)} s at {scope} | {verdict} |")
    peak = night["peak"]["total_mib"] if at_million else None
    lines.append(
        f"| peak memory ≤ 2 GiB at 1M | {_n(night['peak']['total_mib'], 0)} MiB at {scope} | "
        f"{_verdict(peak, report.TARGET_PEAK_MIB)} |"
    )
    lines += _floor_target_lines(runs)
    xlsx = xlsx_rows_per_second(biggest)
    speedup = xlsx / report.XLSX_BASELINE_ROWS_PER_S if xlsx else None
    lines.append(
        f"| XLSX ingest ≥ 5× the issue's {_n(report.XLSX_BASELINE_ROWS_PER_S, 0)} rows/s | "
        f"{_n(xlsx, 0)} rows/s at {biggest['children']:,} ({_x(speedup)}) | "
        f"{_verdict(speedup, report.XLSX_SPEEDUP_TARGET, lower_is_better=False)} |"
    )
    lines += _peer_target_lines(runs)
    share = incremental_share(biggest)
    lines.append(
        f"| incremental night ≤ 15 % of a full night | {_n(100 * (share or 0), 1)} % | "
        f"{_verdict(share, report.INCREMENTAL_TARGET)} |"
    )
    ratio, sizes = scaling_ratio(runs)
    verdict = _verdict(ratio, report.SCALING_TARGET)
    if sizes != "1,000,000 against 250,000":
        verdict = f"not measured at these sizes ({verdict.replace('**', '')} at {sizes})"
    lines.append(f"| per-record cost at 1M ≤ 1.2× that at 250k | {_x(ratio)} ({sizes}) | {verdict} |")
    return [*lines, demo_target_line(demo)]
