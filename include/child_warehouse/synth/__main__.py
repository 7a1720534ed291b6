"""Command line: ``python -m child_warehouse.synth --landing DIR --register DIR --truth DIR``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from child_warehouse.synth.generate import generate_sample


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m child_warehouse.synth", description=__doc__)
    parser.add_argument("--landing", type=Path, required=True, help="landing root for the submissions")
    parser.add_argument("--register", type=Path, required=True, help="folder for persons.csv")
    parser.add_argument("--truth", type=Path, required=True, help="folder for the ground truth")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--children-per-province", type=int, default=30)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    summary = generate_sample(
        args.landing,
        args.register,
        args.truth,
        seed=args.seed,
        children_per_province=args.children_per_province,
    )
    sys.stdout.write(summary.line() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
