"""Benchmark a national run: ``python -m child_warehouse.synth.benchmark OUT [PERIOD ...]``."""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from child_warehouse.synth.national import generate_national


def measure(out: Path, children: int, periods: list[str], workers: int) -> str:
    started = time.monotonic()
    summary = generate_national(out, children=children, periods=periods, workers=workers)
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN reports the largest reaped worker, not a sum.
    return (
        f"{summary.line()}\nwall {time.monotonic() - started:.1f} s; "
        f"CPU parent {me.ru_utime + me.ru_stime:.1f} s, "
        f"workers {kids.ru_utime + kids.ru_stime:.1f} s; peak RSS parent {me.ru_maxrss / 1024:.0f} MiB, "
        f"largest worker {kids.ru_maxrss / 1024:.0f} MiB"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m child_warehouse.synth.benchmark", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("periods", nargs="*", default=["2026-Q3"])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    sys.stdout.write(measure(args.out, args.children, args.periods, args.workers) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
