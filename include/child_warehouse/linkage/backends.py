"""DuckDB against Spark on the same feature files: the same pairs, probabilities and best candidates?

Each backend scores in a process of its own (`python -m child_warehouse.linkage.backends`), so its
time and peak memory (the process and its children: Spark's JVM is one) are its own, measured by
sampling the process tree. Both write every scored pair and each record's best candidate to CSV,
which are then compared: pairs one found and the other did not, the largest difference in match
probability over the pairs both found, and links and review candidates that differ.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

BACKENDS = ("duckdb", "spark")


def _score(backend: str, records_csv: Path, register_csv: Path, out: Path) -> None:
    """In the backend's own process: every pair above the prediction threshold, and the best."""
    out.mkdir(parents=True, exist_ok=True)
    pairs_csv = out / "pairs.csv"
    if backend == "spark":
        from child_warehouse.linkage import spark

        session = spark.session(out)
        try:
            spark.score(session, records_csv, register_csv, out / "best.csv")
            pairs = session.sql("select uid_l, uid_r, match_probability from predictions")
            with pairs_csv.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows(pairs.toLocalIterator())
        finally:
            session.stop()
        return
    from child_warehouse.linkage import probabilistic

    con = probabilistic.connect_duckdb(out)
    probabilistic.load_into_duckdb(con, records_csv, register_csv)
    probabilistic.score(con)
    con.execute(f"copy best to '{out / 'best.csv'}' (header false)")
    pairs = "copy (select uid_l, uid_r, match_probability from predictions)"
    con.execute(f"{pairs} to '{pairs_csv}' (header false)")
    con.close()


@dataclass
class BackendRun:
    backend: str
    seconds: float
    peak_mib: float  # the scoring process and its children, sampled every 0.2 s
    pairs: dict[tuple[str, str], float]
    best: dict[str, tuple[str, float, str]]  # record → (person, probability, outcome)


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run(backend: str, records_csv: Path, register_csv: Path, out: Path) -> BackendRun:
    """Score with one backend in a child process; its time, peak memory and output."""
    command = [sys.executable, "-m", "child_warehouse.linkage.backends", backend, str(records_csv)]
    command += [str(register_csv), str(out)]
    start = time.perf_counter()
    child = subprocess.Popen(command)
    watched, peak, done = psutil.Process(child.pid), [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            with contextlib.suppress(psutil.Error):
                peak[0] = max(peak[0], _tree_rss(watched))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    status = child.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if status != 0:
        raise RuntimeError(f"the {backend} backend failed (exit status {status})")
    with (out / "pairs.csv").open(encoding="utf-8") as handle:
        pairs = {(left, right): float(p) for left, right, p in csv.reader(handle)}
    with (out / "best.csv").open(encoding="utf-8") as handle:
        best = {uid: (person, float(p), outcome) for uid, person, p, outcome in csv.reader(handle)}
    return BackendRun(backend, seconds, peak[0] / 2**20, pairs, best)


@dataclass
class Comparison:
    records: int
    duckdb: BackendRun
    spark: BackendRun

    @property
    def pairs_only_duckdb(self) -> int:
        return len(self.duckdb.pairs.keys() - self.spark.pairs.keys())

    @property
    def pairs_only_spark(self) -> int:
        return len(self.spark.pairs.keys() - self.duckdb.pairs.keys())

    @property
    def max_probability_difference(self) -> float:
        common = self.duckdb.pairs.keys() & self.spark.pairs.keys()
        return max((abs(self.duckdb.pairs[k] - self.spark.pairs[k]) for k in common), default=0.0)

    def _outcome(self, run: BackendRun, outcome: str) -> set[tuple[str, str]]:
        return {(uid, person) for uid, (person, _, said) in run.best.items() if said == outcome}

    def differing(self, outcome: str) -> int:
        """Records whose link (`probabilistic`) or review candidate (`review`) differs."""
        mine, theirs = self._outcome(self.duckdb, outcome), self._outcome(self.spark, outcome)
        return len({uid for uid, _ in mine ^ theirs})

    def agrees(self, tolerance: float) -> bool:
        return (
            self.pairs_only_duckdb == 0
            and self.pairs_only_spark == 0
            and self.max_probability_difference <= tolerance
            and self.differing("probabilistic") == 0
            and self.differing("review") == 0
        )


# Two engines, two float paths (DuckDB's and Spark's sums, logs and exponentials of the same weights):
# the same pair's probability may differ in the last bits, never by more than this.
TOLERANCE = 1e-9


def compare(records_csv: Path, register_csv: Path, folder: Path) -> Comparison:
    with records_csv.open(encoding="utf-8") as handle:
        records = sum(1 for _ in handle) - 1
    runs = {b: run(b, records_csv, register_csv, folder / b) for b in BACKENDS}
    return Comparison(records, runs["duckdb"], runs["spark"])


def compare_in_warehouse(url: str | None = None) -> Comparison:
    """Export what linkage by ID left unlinked in the warehouse at `url` and score it on both."""
    from child_warehouse import ledger
    from child_warehouse.db.connection import transaction
    from child_warehouse.linkage import probabilistic

    with tempfile.TemporaryDirectory(prefix="cw-backends-") as tmp:
        folder = Path(tmp)
        with transaction(url) as conn:
            records_csv, register_csv, _ = probabilistic.export(conn, ledger.to_match(conn), folder)
        return compare(records_csv, register_csv, folder)


def report(c: Comparison) -> str:
    lines = [
        f"Records scored: {c.records:,}",
        f"{'backend':<8} {'seconds':>8} {'peak MiB':>9} {'pairs':>10} {'linked':>8} {'review':>8}",
    ]
    for r in (c.duckdb, c.spark):
        linked = sum(outcome == "probabilistic" for _, _, outcome in r.best.values())
        review = sum(outcome == "review" for _, _, outcome in r.best.values())
        figures = f"{r.seconds:>8.1f} {r.peak_mib:>9,.0f} {len(r.pairs):>10,} {linked:>8,} {review:>8,}"
        lines.append(f"{r.backend:<8} {figures}")
    lines += [
        f"pairs only DuckDB found: {c.pairs_only_duckdb:,}; only Spark: {c.pairs_only_spark:,}",
        f"largest difference in match probability over common pairs: {c.max_probability_difference:.3g}",
        f"records whose link differs: {c.differing('probabilistic'):,}; "
        f"whose review candidate differs: {c.differing('review'):,}",
        f"verdict: {'the same' if c.agrees(TOLERANCE) else 'different'} (tolerance {TOLERANCE:g})",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backend", choices=BACKENDS)
    parser.add_argument("records", type=Path)
    parser.add_argument("register", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    _score(args.backend, args.records, args.register, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
