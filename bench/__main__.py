"""`python -m bench [--children N ...]`: measure, print the tables and rewrite docs/benchmarks.md."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--children", type=int, nargs="*", help="N, one run each (default 100000; none with --demo alone)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="also the sample's night through Airflow (`make demo`'s)"
    )
    parser.add_argument("--doc", type=Path, default=DOC, help="the Markdown file to rewrite")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--peers-up-to", type=int, default=250_000, help="largest N for pandas and GX peers")
    parser.add_argument(
        "--recordlinkage-up-to", type=int, default=100_000, help="largest N for recordlinkage"
    )
    parser.add_argument("--to-sql-sample", type=int, default=20_000, help="rows the pandas to_sql peer loads")
    parser.add_argument(
        "--include", type=Path, help="figures JSON of earlier runs to report beside these (same N: replaced)"
    )
    parser.add_argument(
        "--render-only",
        type=Path,
        help="measure nothing: rewrite the doc from this figures JSON of earlier runs",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files (printed)")
    args = parser.parse_args(argv)
    if args.children is None:
        args.children = [] if args.demo else [100_000]
    logging.basicConfig(level=logging.WARNING)

    from bench.machine import describe
    from bench.render import render
    from bench.run import run_once
    from child_warehouse.db import connection

    limits = {
        "pandas": args.peers_up_to,
        "recordlinkage": args.recordlinkage_up_to,
        "to_sql_sample": args.to_sql_sample,
    }
    runs, text = [], ""
    if args.render_only:
        runs = json.loads(args.render_only.read_text(encoding="utf-8"))
        text = render(describe(connection.warehouse_url("postgres")), runs)
        args.doc.write_text(text, encoding="utf-8")
        sys.stdout.write(text + "\n")
        return 0
    if args.include and args.include.exists():
        earlier = json.loads(args.include.read_text(encoding="utf-8"))
        # the same N, or the demo night when it is measured again, is replaced
        runs = [
            run
            for run in earlier
            if (run.get("kind") == "demo" and not args.demo)
            or (run.get("kind") != "demo" and run["children"] not in args.children)
        ]

    def write() -> str:
        # Written after every run, so a long list leaves what it measured even when stopped midway.
        text = render(describe(connection.warehouse_url("postgres")), runs)
        args.doc.write_text(text, encoding="utf-8")
        if args.json:
            args.json.write_text(json.dumps(runs, indent=1, default=str), encoding="utf-8")
        return text

    if args.demo:
        from bench.demo import measure_demo

        sys.stderr.write("bench: the sample's night through Airflow\n")
        runs.append(measure_demo())
        text = write()
    for children in args.children:
        sys.stderr.write(f"bench: N = {children:,}\n")
        runs.append(run_once(children, limits, keep=args.keep))
        text = write()
    text = text or write()  # nothing measured: the included runs, reported again
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
