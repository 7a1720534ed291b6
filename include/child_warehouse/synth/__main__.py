"""Command line: the small fault-free sample (default, or ``sample``) and ``national`` runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from child_warehouse.synth.generate import generate_sample

NATIONAL_EXAMPLE = (
    "python -m child_warehouse.synth national --out DIR --children 1000000 --periods 2025-Q2 2026-Q3"
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The sample's flags, as ``make demo`` calls them, optionally after the word ``sample``."""
    parser = argparse.ArgumentParser(
        prog="python -m child_warehouse.synth [sample]",
        description=__doc__,
        epilog=f"national runs: {NATIONAL_EXAMPLE}",
    )
    parser.add_argument("--landing", type=Path, required=True, help="landing root for the submissions")
    parser.add_argument("--register", type=Path, required=True, help="folder for persons.csv")
    parser.add_argument("--truth", type=Path, required=True, help="folder for the ground truth")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--children-per-province", type=int, default=30)
    parser.add_argument("--provinces", nargs="+", help="only these post-reform provinces (default: all 34)")
    return parser.parse_args(argv)


def parse_national(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m child_warehouse.synth national",
        description="A national run with realistic faults; see docs/synthetic-data.md.",
    )
    parser.add_argument("--out", type=Path, required=True, help="writes OUT/landing, OUT/register, OUT/truth")
    parser.add_argument(
        "--children", type=int, required=True, help="managed children under 16 at the last period"
    )
    parser.add_argument("--register-ratio", type=float, default=4.0, help="register persons per child")
    parser.add_argument(
        "--periods", nargs="+", default=["2026-Q3"], help="e.g. 2025-M05 2025-H1 2026-Q3 2026-Y"
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--no-faults", action="store_true", help="every fault rate 0")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quiet", action="store_true", help="no progress display")
    return parser.parse_args(argv)


def run_national(argv: Sequence[str]) -> int:
    from child_warehouse.synth.faults import FaultRates
    from child_warehouse.synth.national import generate_national

    args = parse_national(argv)
    summary = generate_national(
        args.out,
        children=args.children,
        register_ratio=args.register_ratio,
        seed=args.seed,
        periods=args.periods,
        faults=FaultRates.none() if args.no_faults else None,
        workers=args.workers,
        progress=not args.quiet,
    )
    sys.stdout.write(summary.line() + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["national"]:
        return run_national(words[1:])
    args = parse_args(words[1:] if words[:1] == ["sample"] else words)
    summary = generate_sample(
        args.landing,
        args.register,
        args.truth,
        seed=args.seed,
        children_per_province=args.children_per_province,
        provinces=args.provinces,
    )
    sys.stdout.write(summary.line() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
