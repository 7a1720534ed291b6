"""The text of docs/benchmarks.md; every figure in it comes from the runs passed in."""

from __future__ import annotations

from bench import doc, report
from bench.report import _n

METHOD = """## Method

- **The night** runs the DAG's task bodies in the DAG's order on a scratch database (a copy of the
  template warehouse: migrated with the reference lists loaded, as `db init` leaves it; dropped
  afterwards), one province after another as a single Airflow worker
  slot would: discover, per province load and validate, feedback workbooks, link by ID (one
  statement for every province),
  the national probabilistic linkage with pseudonyms, `child-warehouse dbt build` (every model and
  data test, unit tests left out, as Cosmos runs it), the run summary. Airflow's own scheduling
  overhead is not included.
  Generating the data and loading the register extract are measured but are not part of the night.
- **The demo night** (`--demo`, `bench/demo.py`) is the other way round: the sample's night (1,020
  children) through Airflow itself, as `make demo` runs it (`child-warehouse night`: the LocalExecutor
  stack, every task in its own process), on a warehouse and an Airflow home of its own. Two nights,
  each on a fresh copy of the template with the sample landed; the figure is the second, with
  Airflow's metadata and dbt's partial parse from the first, as a second `make demo` after dropping
  the warehouse. A night is the DAG run's duration as Airflow records it.
- **Floors** run after the night on the same database and rows. Ingest: the child-record rows that
  CSV files put into `raw.child_records`, exported as clean CSV and COPYed by the server from the file
  into a table without indexes. Validation: one SELECT per raw table (child records, protection cases)
  counting every row rule of the suite with `count(*) filter (where …)` and uniqueness with
  `count(distinct …)`; the rules are read from `expectations/*.json`, not restated. In a select list the
  commune rule's NOT EXISTS becomes a per-row subplan, so the floor reads an indexed temporary copy of
  `reference.communes` (the list has no index). Indicator-report rules compare rows with each other and
  are not row rules. Deterministic linkage: one hash join (merge and nested-loop joins off) of the
  accepted child records to `register.persons` on the personal ID parsed as the stage parses it
  (`util.parse_personal_id`), into a new table. dbt build: every table model's SQL as dbt compiled
  it in the night's own build (read from its `manifest.json`), run as a plain CREATE TABLE AS in
  dependency order against the relations that build left (no tests, hooks, grants or dbt process),
  the seconds summed; and a stricter line computing the scorecard's counts in one statement from
  `raw.child_records`, the links and the quarantine, parsing included.
- **Peers** run on the same generated files and rows. pandas: `read_csv(dtype=str,
  on_bad_lines="skip")` or `read_excel(dtype=str)`, then `DataFrame.to_sql` with its default method
  (SQLAlchemy 2 batches the INSERTs), one table per file since provinces' headers differ, on a
  sample of the UTF-8 files, smallest first; the rate is that sample's. GX pandas engine: the
  child-record suite with its required columns as GX's not-null rule and every other SQL row rule
  replaced by a regex on the same column (the pandas engine has no `UnexpectedRowsExpectation`),
  over every child record, read_csv included. recordlinkage: the very files the Splink stage read
  (unlinked records and the register's possible children), the model's six blocking rules as a union
  of `Block` indexes, Jaro-Winkler on names and caregivers, exact dates, swapped dates, sex, commune
  and province, and the unsupervised `ECMClassifier`; no export from or write-back to PostgreSQL,
  which the stage it is compared with includes.
- **Same night, two versions of the code**: `python -m bench.same_night <generated folder> <out.json>`
  (with `PYTHONPATH=<other checkout>/include` for the other version and the same
  `CHILD_WAREHOUSE_PSEUDONYM_KEY`) runs the stages and `dbt build` and writes a count and an MD5 of
  every marts, core and intermediate table (run times left out), the ledger's verdicts and readings,
  every flagged row with its reasons, the rule results, the raw child records and the links.
- **Incremental night**: after the full night, two of the 34 provinces (5 %) send a corrected
  child-record file (new bytes: the same file less its last row) and the whole night runs again.
  The corrected files are dated a minute before the night, as files sent during the day: discovery
  waits for a file written within `CHILD_WAREHOUSE_SETTLE_SECONDS` (it may still be uploading), and
  runs measured before 2026-12-06 include that wait (about 10 s) in their incremental discovery.
  Since 2026-12-06 (migration 0021) the corrected files' unchanged records keep the decision
  probabilistic linkage made for their features in the full night (`links.scored_features`), so
  that step scores only changed records (none here); earlier runs scored every unlinked record
  of the two files again.
"""

SCALE_OUT = """## Scale-out path

What this machine's figures say, and where the work goes when one machine is no longer enough:

- **Probabilistic linkage: Splink on Spark.** `CHILD_WAREHOUSE_LINKAGE_BACKEND=spark` runs the same
  saved model on `splink.backends.spark.SparkAPI` (`linkage/spark.py`; `make linkage-backends` and
  `make test-scale` compare it with DuckDB: the same pairs, links and review queue). At 250k children
  on this machine Spark `local[2]` is 10× slower than DuckDB (205 s against 21 s) and takes 2.9× the
  memory ([docs/linkage.md](linkage.md#scaling-out-splink-on-spark)): it pays off only on a cluster,
  where the register's features (4 persons per child, the large side of the blocking) stay
  partitioned by the blocking keys and only candidate pairs are shuffled.
- **Per-province stages: Airflow's Celery or Kubernetes executors.** Load and validate are mapped per
  province (`dags/nightly_load.py`), so 34 independent tasks spread over workers as soon as the
  executor has more than one slot; link by ID is one set-based transaction for the country (the
  register is read once a night), so it grows with the server, not with workers.
  `make airflow-celery` runs the CeleryExecutor natively (Redis, two workers) with the settings of
  `docker-compose.yaml`, and `make test-scale` runs a night on it, with a worker killed mid-night.
  The KubernetesExecutor gives each province its own pod and memory limit. PostgreSQL then becomes
  the shared bottleneck: COPY and the validation scans are I/O and CPU on the server, so more cores
  on the database (or a read replica for the marts) go with more workers.
- **dbt build**: the models that hold a row per child record or per child are incremental:
  `int_child_records_accepted` (which parses every child record) and `int_child_records_linked` by
  submission, `fct_child_status` and `fct_child_status_history` by child; the other models are
  rebuilt in full each night from them, and every data test runs each night (unit tests run in CI;
  the keys PostgreSQL enforces are tested in its catalogue). Models are SQL on the warehouse, so the
  dbt build grows with PostgreSQL's cores, not with Airflow workers.
"""


def _linkage_at_million(runs: list[dict]) -> list[str]:
    run = next((r for r in runs if r["children"] == 1_000_000), None)
    if run is None:
        return [
            "No 1M run among the runs reported here: `make bench BENCH_N=1000000` (or `make bench-scaling`) "
            "measures it. A separate measurement of the linkage stages alone at 1M × 4M, outside this "
            "harness, is in [docs/linkage.md](linkage.md#throughput-at-national-scale)."
        ]
    stages = run["night"]["stages"]
    det, prob = stages["link deterministic"], stages["link probabilistic"]
    return [
        f"1,000,000 children against a register of {run['register_persons']:,} persons:",
        "",
        "| step | wall s | records | peak bench MiB | peak PostgreSQL MiB | peak together MiB |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {_n(m['seconds'], 1)} | {m['rows']:,} | {_n(m['peak']['bench_mib'], 0)} | "
            f"{_n(m['peak']['server_mib'], 0)} | {_n(m['peak']['total_mib'], 0)} |"
            for name, m in (
                ("register extract load + features", run["register"]),
                ("link by ID", det),
                ("link probabilistically (Splink on DuckDB) + pseudonyms", prob),
            )
        ),
    ]


def _loads(values: list[float]) -> str:
    return " / ".join(f"{x:.2f}" for x in values)


def _machine(machine: dict, runs: list[dict], demo: dict | None, memory_note: str) -> list[str]:
    packages = ", ".join(f"{k} {v}" for k, v in machine["packages"].items())
    named = [(f"N = {r['children']:,}", r) for r in runs] + ([("the demo night", demo)] if demo else [])
    when = "; ".join(
        f"{name} at {r.get('measured_at', 'a time not recorded')} (code {r.get('code', 'not recorded')})"
        for name, r in named
    )
    loads = "; ".join(
        f"{name}: {_loads(r['load_average_start'])} at start, {_loads(r['load_average_end'])} at end"
        for name, r in named
        if "load_average_end" in r
    )
    return [
        f"- **Measured** by `make bench` (`python -m bench`): {when}.",
        f"- **Machine**: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']} GiB RAM, "
        f"{machine['os']}.",
        f"- **Versions**: Python {machine['python']}, PostgreSQL {machine['postgresql']}, {packages}.",
        f"- **Load average (1/5/15 min)**: {loads}. The machine is shared with other work, so figures "
        "are noisy.",
        *([f"- **Memory**: {memory_note}"] if memory_note else []),
    ]


def _failed_run(run: dict) -> list[str]:
    """A size this machine could not finish: what was measured up to the stage that failed."""
    lines = [
        f"## N = {run['children']:,} children: did not finish",
        "",
        f"The night failed in **{run['failed']['stage']}**: `{run['failed']['error']}`. "
        "What was measured until then:",
        "",
    ]
    if "night" in run and "register" in run:
        lines += report.stage_table(run)
    return [*lines, ""]


def render(machine: dict, every_run: list[dict]) -> str:
    demos = [r for r in every_run if r.get("kind") == "demo"]
    demo = demos[-1] if demos else None
    sized = [r for r in every_run if r.get("kind") != "demo"]
    failed = [r for r in sized if "failed" in r]
    runs = [r for r in sized if "failed" not in r]
    lines = ["# Benchmarks", "", "Written by `make bench` from the runs below; do not edit by hand.", ""]
    if not runs:  # the demo night alone (`python -m bench --demo`)
        lines += [*_machine(machine, sized, demo, ""), ""]
        lines += ["## Targets and the gap to each", "", *doc.targets_lines([], demo), ""]
        if demo:
            lines += ["## The demo night through Airflow", "", *doc.demo_lines(demo), ""]
        for run in failed:
            lines += _failed_run(run)
        return "\n".join([*lines, METHOD, SCALE_OUT])
    biggest = max(runs, key=lambda r: r["children"])
    server = biggest.get("memory_includes_server")
    memory_note = (
        "peak PSS sampled every 0.25 s, of the benchmark's process tree (Python, the generator's workers, "
        "dbt) and, separately, of the PostgreSQL server's processes (postmaster and every backend)"
        + (
            "; 'together' is the largest sum at one instant."
            if server
            else "; the server is external here and not measured."
        )
    )
    lines += [*_machine(machine, sized, demo, memory_note), ""]
    lines += ["## Targets and the gap to each", "", *doc.targets_lines(runs, demo), ""]
    judged = doc.target_run(runs)
    lines += [f"Where the night goes at {judged['children']:,}: " + doc.night_shares(judged), ""]
    for run in sorted(runs, key=lambda r: -r["children"]):
        n = run["children"]
        lines += [
            f"## N = {n:,} children ({run['register_persons']:,} register persons, {run['files']} files)",
            "",
        ]
        lines += ["### Stages of one night", "", *report.stage_table(run), ""]
        if run["night"]["dbt_exit_code"]:
            lines += [f"dbt build exited with code {run['night']['dbt_exit_code']} in this run.", ""]
        lines += ["Ingest by file kind:", "", *report.ingest_kinds(run), ""]
        lines += ["### Against the floors", "", *report.floor_table(run), ""]
        if empty := [k for k, v in run["floors"].items() if "rows" in v and not v["rows"]]:
            lines += [f"Floors that matched no rows in this run, left out: {', '.join(empty)}.", ""]
        if left_out := run["floors"]["validate"]["rules_left_out"]:
            lines += [
                f"Rules not in the validation floor (they are not row rules): {', '.join(left_out)}.",
                "",
            ]
        if run.get("peers"):
            lines += ["### Against the peers", "", *report.peer_table(run), ""]
        lines += ["### Incremental night", "", *doc.incremental_lines(run), ""]
    for run in failed:
        lines += _failed_run(run)
    if demo:
        lines += ["## The demo night through Airflow", "", *doc.demo_lines(demo), ""]
    lines += ["## Scaling: cost per record", "", *doc.scaling_lines(runs), ""]
    lines += ["## Linkage at 1M children × 4M register", "", *_linkage_at_million(runs), ""]
    lines += ["## Towards a national rebuild: 25M children", "", *doc.extrapolation_lines(runs), ""]
    return "\n".join([*lines, METHOD, SCALE_OUT])
