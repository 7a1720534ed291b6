"""`python -m bench.drill --children N`: the backup and restore drill of the runbook, at scale.

Generates N children's submissions and their register, runs the night's stages and the dbt build
into a scratch warehouse, then does what docs/operations.md tells an engineer to do after losing a
server: back up, make a fresh PostgreSQL cluster, `db migrate` there (roles and the pipeline's
logins), `db restore --replace`. It then compares the ledger, links, reviewers' decisions, raw rows
and every mart with the originals, row for row (as md5 of their sorted rows), and prints each step's
seconds and the backup's size. Nothing is kept: the scratch database and the cluster are removed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = str(Path(sys.executable).parent / "child-warehouse")

COMPARED = {
    "ledger.submissions": "select * from ledger.submissions",
    "links.child_links": "select * from links.child_links",
    "links.review_queue": "select * from links.review_queue",
    "links.review_decisions": "select * from links.review_decisions",
    "raw.child_records": "select * from raw.child_records",
}


def _cli(url: str, *args: str) -> None:
    env = {**os.environ, "CHILD_WAREHOUSE_DB_URL": url}
    result = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {result.stdout[-2000:]}{result.stderr[-2000:]}")


def fingerprints(url: str) -> dict[str, str]:
    """md5 of every compared table's sorted rows, and of every mart's."""
    from psycopg2 import sql

    from child_warehouse.db.connection import fetch_all

    marts = fetch_all(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1", url=url
    )
    queries = dict(COMPARED)
    for (table,) in marts:
        queries[f"marts.{table}"] = sql.SQL("select * from {}").format(sql.Identifier("marts", table))
    found = {}
    for name, query in queries.items():
        wrapped = sql.SQL(
            "select md5(coalesce(string_agg(t::text, chr(10) order by t::text), '')) from ({}) as t"
        )
        found[name] = fetch_all(wrapped.format(sql.SQL(query) if isinstance(query, str) else query), url=url)[
            0
        ][0]
    return found


def drill(children: int) -> dict[str, float]:
    from child_warehouse import settings
    from child_warehouse.db import cluster, template
    from child_warehouse.db.connection import fetch_all
    from child_warehouse.operations.scratch import run_stages
    from child_warehouse.synth.national import generate_national

    seconds: dict[str, float] = {}

    def timed(step: str, work):
        start = time.perf_counter()
        result = work()
        seconds[step] = time.perf_counter() - start
        print(f"  {step}: {seconds[step]:.1f} s", flush=True)
        return result

    work = Path(tempfile.mkdtemp(prefix="cw-drill-"))
    fresh = cluster.EmbeddedCluster(settings.local_dir() / f"drill-{os.getpid()}", cluster.free_port())
    try:
        timed(
            "generate", lambda: generate_national(work / "data", children=children, workers=2, progress=False)
        )
        with template.fresh_database("cw_drill") as url:
            timed(
                "night's stages",
                lambda: run_stages(
                    work / "data" / "landing", work / "data" / "register" / "persons.csv", url
                ),
            )
            timed("dbt build", lambda: _cli(url, "dbt", "build", "--quiet"))
            fetch_all(
                """insert into links.review_decisions (province_code, record_id, candidate_personal_id,
                       decision, decided_by, note)
                   select province_code, record_id, candidate_personal_id, 'match', 'drill', 'drill'
                   from links.review_queue where record_id is not null limit 100 returning 1""",
                url=url,
            )
            before = fingerprints(url)
            dump = work / "warehouse.dump"
            timed("backup", lambda: _cli(url, "db", "backup", "--out", str(dump)))
            seconds["backup MiB"] = dump.stat().st_size / 2**20
            timed("fresh cluster", lambda: cluster.start(fresh))
            target = fresh.url("child_warehouse")
            timed("db migrate", lambda: _cli(target, "db", "migrate"))
            timed("restore", lambda: _cli(target, "db", "restore", str(dump), "--replace"))
            after = fingerprints(target)
        differing = sorted(name for name in before if before[name] != after.get(name))
        rows = fetch_all("select count(*) from raw.child_records", url=target)[0][0]
        print(
            f"compared {len(before)} tables ({rows:,} child records): "
            + ("all equal" if not differing else f"DIFFERENT: {', '.join(differing)}")
        )
        if differing:
            raise SystemExit(1)
        return seconds
    finally:
        cluster.stop(fresh, mode="immediate")
        shutil.rmtree(fresh.root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.drill", description=__doc__)
    parser.add_argument("--children", type=int, default=250_000)
    args = parser.parse_args()
    print(f"drill at {args.children:,} children", flush=True)
    seconds = drill(args.children)
    restore = seconds["fresh cluster"] + seconds["db migrate"] + seconds["restore"]
    print(
        f"backup {seconds['backup']:.1f} s ({seconds['backup MiB']:.0f} MiB); a fresh cluster, migrate and "
        f"restore {restore:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
