"""`child-warehouse`: one command for engineers — database, sample data, dbt, Airflow, reports."""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from pathlib import Path

from child_warehouse import settings


def _backup_or_restore(args: argparse.Namespace) -> int:
    from child_warehouse.operations import backup

    if args.action == "backup":
        if not args.out:
            print("error: db backup needs --out FILE", file=sys.stderr)
            return 2
        print(f"Backup written: {backup.backup(Path(args.out))}")
        return 0
    if not args.file:
        print("error: db restore needs the backup file", file=sys.stderr)
        return 2
    print(
        f"Restored {args.file} into database {backup.restore(Path(args.file), None, args.into, args.replace)}"
    )
    return 0


def _db(args: argparse.Namespace) -> int:
    from child_warehouse.db import cluster, connection, migrations

    if args.action in ("backup", "restore"):
        return _backup_or_restore(args)

    embedded = settings.external_db_url() is None
    if args.action in ("start", "init") and embedded:
        print(cluster.start(cluster.default_cluster()))
    if args.action == "stop":
        print(cluster.stop(cluster.default_cluster()) if embedded else "External server: nothing to stop")
    if args.action == "status":
        running = embedded and cluster.is_running(cluster.default_cluster())
        print("embedded, running" if running else ("embedded, stopped" if embedded else "external server"))
    if args.action == "url":
        print(connection.warehouse_url())
    if args.action in ("init", "migrate"):
        if connection.ensure_database():
            print("Created the warehouse database")
        applied = migrations.apply_all()
        print(f"Migrations applied: {', '.join(applied) or 'none pending'}; reference lists loaded")
    return 0


def dbt_arguments(dbt_args: list[str]) -> list[str]:
    """`child-warehouse dbt <dbt_args>`'s arguments to dbt: the project's folders and its target."""
    target = settings.dbt_target_dir()
    return [
        *dbt_args,
        "--project-dir",
        str(settings.dbt_project_dir()),
        "--profiles-dir",
        str(settings.dbt_project_dir()),
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
    ]


def _run_dbt(dbt_args: list[str]) -> int:
    from child_warehouse.orchestration.dbt import dbt_executable
    from child_warehouse.orchestration.environment import dbt_environment

    command = [dbt_executable(), *dbt_arguments(dbt_args)]
    return subprocess.call(command, env=dbt_environment(needs_database=dbt_args[:1] != ["parse"]))


def _airflow(args: argparse.Namespace) -> int:
    from child_warehouse.orchestration.environment import airflow_environment

    env = airflow_environment()
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    if settings.airflow_executor() == "celery":  # its metadata is a PostgreSQL database of its own
        from child_warehouse.db.connection import admin_url
        from child_warehouse.orchestration.celery_stack import ensure_metadata_database

        ensure_metadata_database(Path(env["AIRFLOW_HOME"]), admin_url())
    binary = str(Path(sys.executable).parent / "airflow")
    return subprocess.call([binary, *args.airflow_args], env=env)


def _sample(args: argparse.Namespace) -> int:
    from child_warehouse.db import connection
    from child_warehouse.linkage.register import load_register_extract
    from child_warehouse.synth import generate_sample

    out = Path(args.out or settings.local_dir() / "sample")
    landing = Path(settings.landing_root())  # the sample is written to a local folder
    summary = generate_sample(
        landing,
        out / "register",
        out / "truth",
        seed=args.seed,
        children_per_province=args.children_per_province,
        history=args.history,
        provinces=args.provinces,
    )
    print(
        f"Sample: {summary.provinces} provinces, {summary.children} children, {summary.cases} cases, "
        f"{len(summary.files)} files in {landing}"
    )
    with connection.acting_as("registrar"):  # the register's own login, not the superuser
        persons = load_register_extract(out / "register" / "persons.csv")
    print(f"Register extract loaded: {persons} persons")
    return 0


def _province_codes(text: str) -> list[str]:
    codes = [code.strip() for code in text.split(",") if code.strip()]
    if not codes or any(len(code) != 2 or not code.isdigit() for code in codes):
        raise argparse.ArgumentTypeError(f"two-digit province codes separated by commas, not {text!r}")
    return codes


def _night(args: argparse.Namespace) -> int:
    import datetime as dt

    from child_warehouse.orchestration.local_run import run_night
    from child_warehouse.orchestration.rest import AirflowApiError
    from child_warehouse.orchestration.stack import StackError

    stamp = args.date or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M%S")
    log_path = settings.local_dir() / "logs" / f"night-{stamp}.log"
    try:
        outcome = run_night(args.date, log_path, conf=_night_conf(args))
    except (AirflowApiError, StackError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    took = f" in {outcome.seconds:.0f} s" if outcome.seconds is not None else ""
    print(f"Night {args.date or 'now'}: run {outcome.run_id} {outcome.state}{took} (log: {log_path})")
    if outcome.state == "success":
        return 0
    for task in outcome.failed_tasks:
        print(f"  not successful: {task}")
    return 1


def _publish(args: argparse.Namespace) -> int:
    from child_warehouse.orchestration.publish_run import run_publication
    from child_warehouse.orchestration.rest import AirflowApiError
    from child_warehouse.orchestration.stack import StackError

    decision = "approve" if args.approve else "reject" if args.reject else None
    try:
        periods = _periods(args.periods) if args.periods else None
        outcome = run_publication(periods, decision, args.reject or args.note)
    except (AirflowApiError, StackError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    from child_warehouse.orchestration.publication import report_folder

    if outcome.state == "none":  # nothing waited: say what analysts read now
        latest = _latest_release()
        if latest is not None:
            print(f"Latest release: {latest}; report: {report_folder(latest)}")
        return 0
    published = (
        f"; release {outcome.release_number} published" if outcome.release_number else "; nothing published"
    )
    print(f"publish_period run {outcome.run_id}: {outcome.state}, decision {outcome.decision}{published}")
    if outcome.release_number:
        print(f"Report: {report_folder(outcome.release_number)}")
    return 0 if outcome.state == "success" else 1


def _latest_release() -> int | None:
    from child_warehouse.db.connection import acting_as, fetch_all

    with acting_as("publisher"):
        return fetch_all("select max(release_number) from release.releases")[0][0]


def _periods(text: str) -> list[str]:
    from child_warehouse.sources.landing import PERIOD_PATTERN

    periods = [p.strip() for p in text.split(",") if p.strip()]
    bad = [p for p in periods if not PERIOD_PATTERN.match(p)]
    if bad or not periods:
        raise SystemExit(f"error: not periods such as 2026-Q3: {', '.join(bad) or text!r}")
    return periods


def _release_report(args: argparse.Namespace) -> int:
    from child_warehouse.db.connection import acting_as
    from child_warehouse.orchestration.publication import report_folder
    from child_warehouse.releases.report import write_report

    with acting_as("publisher"):
        paths = write_report(args.release, Path(args.out) if args.out else report_folder(args.release))
    for path in paths:
        print(path)
    return 0


def _night_conf(args: argparse.Namespace) -> dict:
    """The DAG's run parameters from the command's options (only those given)."""
    given = {
        "province_code": args.province,
        "period_from": args.period_from,
        "period_to": args.period_to,
        "dry_run": args.dry_run or None,
    }
    return {key: value for key, value in given.items() if value is not None}


def _stack(args: argparse.Namespace) -> int:
    from child_warehouse.orchestration import stack

    if args.action == "serve":
        return stack.serve(schedule=not args.triggered_only)
    if args.action == "stop":
        print("Airflow stopped." if stack.stop_running() else "No Airflow started by the project is running.")
        return 0
    running = stack.running()
    print(f"Airflow running at {running.url}" if running else "Airflow is not running.")
    return 0 if running else 1


def _linkage(args: argparse.Namespace) -> int:
    if args.action == "train":
        from child_warehouse.linkage.train import train_from_warehouse

        if not args.landing:
            print(f"Model saved: {train_from_warehouse()}")
            return 0
        from child_warehouse.operations.scratch import run_stages, scratch_database

        with scratch_database() as url:
            run_stages(Path(args.landing), Path(args.register), url, probabilistic=False)
            print(f"Model saved: {train_from_warehouse(url)}")
        return 0
    if args.action == "febrl4":
        from child_warehouse.linkage.febrl import evaluate_febrl4, table

        print(table(evaluate_febrl4()))
        return 0
    if args.action == "backends":
        return _compare_backends(args)
    from child_warehouse.linkage import evaluate

    truth_csv = Path(args.truth or settings.local_dir() / "sample" / "truth" / "child_links.csv")
    truth = evaluate.read_truth(truth_csv)
    faults_csv = truth_csv.parent / "faults.csv"
    faults = evaluate.read_faults(faults_csv) if faults_csv.exists() else None
    if not args.landing:
        print(evaluate.report(evaluate.with_pairs_completeness(evaluate.measure(truth, None, faults), truth)))
        return 0
    from child_warehouse.operations.scratch import run_stages, scratch_database

    with scratch_database() as url:
        timings = run_stages(Path(args.landing), Path(args.register), url)
        measured = evaluate.measure(truth, url, faults)
        print(evaluate.report(evaluate.with_pairs_completeness(measured, truth, url)))
        print("\nPrecision/recall of the best candidate by threshold, over the records not linked by ID:")
        print(evaluate.curve_table(*evaluate.threshold_curve(truth, url)))
        print("\nThe same records with the parent's name removed (the register's parents unused):")
        evaluate.relink_without_caregiver(url)
        print(evaluate.report(evaluate.measure(truth, url, faults)))
    print("seconds: " + ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in timings.items()))
    return 0


def _compare_backends(args: argparse.Namespace) -> int:
    """The saved model on DuckDB and on Spark over what linkage by ID left of the landing folder (or
    of the warehouse): same pairs, probabilities within tolerance, same links and review candidates."""
    from child_warehouse.linkage import backends

    if not args.landing:
        compared = backends.compare_in_warehouse()
    else:
        from child_warehouse.operations.scratch import run_stages, scratch_database

        with scratch_database() as url:
            run_stages(Path(args.landing), Path(args.register), url, probabilistic=False)
            compared = backends.compare_in_warehouse(url)
    print(backends.report(compared))
    return 0 if compared.agrees(backends.TOLERANCE) else 1


def _reprocess(args: argparse.Namespace) -> int:
    from child_warehouse.operations import reprocess

    planned = reprocess.plan(args.province, args.period, args.to, args.type)
    print(reprocess.describe(planned))
    if args.dry_run or not planned:
        return 0
    reprocess.mark_for_reprocessing(planned)
    print("Marked for reloading; the next run (or `child-warehouse night`) reprocesses them.")
    return 0


def _backfill(args: argparse.Namespace) -> int:
    from child_warehouse.operations import backfill

    root = args.history or settings.history_root()
    last = args.to or args.first
    counts = backfill.years_in_archive(root, args.first, last)
    print(f"History in {root}: " + (", ".join(f"{y}: {n} files" for y, n in counts.items()) or "no files"))
    if args.dry_run or not counts:
        return 0
    from child_warehouse.orchestration.backfill_runs import run_years

    return run_years(args.first, last, root, counts, print)


def _pseudonyms(args: argparse.Namespace) -> int:
    from child_warehouse.linkage import pseudonyms

    if args.action == "status":
        current = pseudonyms.key_id(pseudonyms.pseudonym_key())
        for key, rows in pseudonyms.keys_in_use().items():
            mark = " (the configured key)" if key == current else (" (none yet)" if key is None else "")
            print(f"{key or '-':<12} {rows:>9} records{mark}")
        return 0
    if not args.new_key_file:
        print("error: pseudonyms rotate needs --new-key-file FILE", file=sys.stderr)
        return 2
    new_key = pseudonyms.read_key_file(args.new_key_file)
    rows = pseudonyms.rotate(new_key)
    print(f"{rows} records now carry pseudonyms made with key {pseudonyms.key_id(new_key)}")
    if pseudonyms.install_local_key(new_key):
        print(f"The local key file {settings.local_dir() / 'pseudonym.key'} now holds the new key.")
    else:
        print(
            "Now set CHILD_WAREHOUSE_PSEUDONYM_KEY to the new key wherever the load runs, before next night"
        )
    if args.no_rebuild:
        print(
            "The marts still hold old-key pseudonyms, and the nightly build (incremental) keeps them: "
            "run `child-warehouse dbt run --full-refresh` before analysts read them."
        )
        return 0
    # Incremental marts keep rows they have no reason to rebuild: rebuild them whole, so no old-key
    # pseudonym is left.
    return _run_dbt(["run", "--quiet", "--full-refresh"])


def _feedback(args: argparse.Namespace) -> int:
    from child_warehouse.feedback.report import write_feedback

    print(f"Written: {write_feedback(args.province, args.period)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from child_warehouse.feedback.precheck import check_files, render

    files = [Path(f) for f in args.files]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        print(f"error: không tìm thấy tệp / no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        result = check_files(files, args.province, args.period, Path(args.out), args.examples)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(render(result))
    return 0 if result.all_accepted else 1


def _catch_rates(args: argparse.Namespace) -> int:
    from child_warehouse.operations.scratch import run_stages, scratch_database
    from child_warehouse.validation.catch_rates import catch_rates, table

    root = Path(args.generated)
    with scratch_database() as url:
        run_stages(root / "landing", root / "register" / "persons.csv", url)
        print(table(catch_rates(root / "truth" / "faults.csv", url)))
    return 0


def _report(args: argparse.Namespace) -> int:
    from child_warehouse.reporting import marts

    if args.what == "truth":
        truth = Path(args.truth or settings.local_dir() / "sample" / "truth") / "expected_by_province.csv"
        problems = marts.compare_with_truth(truth)
        print("\n".join(problems) if problems else f"The mart equals the generator's truth ({truth}).")
        return 1 if problems else 0
    print(marts.last_run_table() if args.what == "last-run" else marts.marts_report())
    return 0


def _add_db_command(commands) -> None:
    db = commands.add_parser(
        "db", help="the warehouse database (embedded cluster unless CHILD_WAREHOUSE_DB_URL)"
    )
    db.add_argument(
        "action", choices=["start", "stop", "status", "url", "migrate", "init", "backup", "restore"]
    )
    db.add_argument("file", nargs="?", help="with `restore`: the backup file")
    db.add_argument("--out", help="with `backup`: the file to write (pg_dump custom format)")
    db.add_argument(
        "--into", help="with `restore`: a new database to restore into (default: the warehouse's)"
    )
    db.add_argument("--replace", action="store_true", help="with `restore`: drop the database and restore it")
    db.set_defaults(func=_db)


def _add_operations_commands(commands) -> None:
    """Subcommands for the engineers who run the load: backfills and pseudonym keys."""
    history = commands.add_parser(
        "backfill", help="load past years' submissions in period order (the backfill_history DAG)"
    )
    history.add_argument("--from", dest="first", type=int, required=True, help="first year, e.g. 2018")
    history.add_argument("--to", type=int, help="last year (default: the first)")
    history.add_argument(
        "--history", help="archive of past submissions (default CHILD_WAREHOUSE_HISTORY_ROOT)"
    )
    history.add_argument("--dry-run", action="store_true", help="count the archive's files per year only")
    history.set_defaults(func=_backfill)
    keys = commands.add_parser("pseudonyms", help="pseudonym keys: which are in use, rotate to a new one")
    keys.add_argument("action", choices=["status", "rotate"])
    keys.add_argument("--new-key-file", help="with `rotate`: file holding the new key on its first line")
    keys.add_argument(
        "--no-rebuild",
        action="store_true",
        help="with `rotate`: skip rebuilding the marts in full (the nightly build is incremental and "
        "keeps old-key pseudonyms: run `child-warehouse dbt run --full-refresh` before analysts read them)",
    )
    keys.set_defaults(func=_pseudonyms)


def _add_airflow_commands(commands) -> None:
    airflow = commands.add_parser("airflow", help="run the Airflow CLI with the project-local home")
    airflow.add_argument("airflow_args", nargs=argparse.REMAINDER)
    airflow.set_defaults(func=_airflow)
    night = commands.add_parser(
        "night", help="run the nightly DAG once through Airflow's scheduler, wait, and report its outcome"
    )
    night.add_argument(
        "--date",
        help="run the night of this day (YYYY-MM-DD, 01:30 Vietnam time); a manual run now by default",
    )
    night.add_argument("--province", help="reprocess this province alone (the DAG's province_code)")
    night.add_argument("--period-from", help="with --province: the first period to reprocess")
    night.add_argument("--period-to", help="with --province: the last period (else only --period-from)")
    night.add_argument(
        "--dry-run",
        action="store_true",
        help="list what the run would do in its discovery log; change nothing",
    )
    night.set_defaults(func=_night)
    publish = commands.add_parser(
        "publish",
        help="publish periods through the publish_period DAG: show what would be published, then approve or "
        "reject it here, or wait for a reviewer in Airflow's Required Actions page",
    )
    which = publish.add_mutually_exclusive_group(required=True)
    which.add_argument("--periods", help="comma-separated, e.g. 2026-Q3,2026-M10,2026-9M")
    which.add_argument(
        "--suggested", action="store_true", help="the run the last night suggested (nothing if none waits)"
    )
    answer = publish.add_mutually_exclusive_group()
    answer.add_argument("--approve", action="store_true", help="approve as the logged-in Airflow user")
    answer.add_argument("--reject", metavar="REASON", help="reject, recording REASON")
    publish.add_argument("--note", help="with --approve: a note kept with the decision")
    publish.set_defaults(func=_publish)
    release_report = commands.add_parser("release-report", help="write a published release's national report")
    release_report.add_argument("release", type=int, help="the release number")
    release_report.add_argument("--out", help="folder (default: CHILD_WAREHOUSE_REPORTS_ROOT/release-<n>)")
    release_report.set_defaults(func=_release_report)
    airflow_stack = commands.add_parser(
        "airflow-stack", help="the local Airflow stack: serve (foreground, Ctrl-C stops it all), stop, status"
    )
    airflow_stack.add_argument("action", choices=["serve", "stop", "status"])
    airflow_stack.add_argument(
        "--triggered-only",
        action="store_true",
        help="with `serve`: run triggered runs only, no scheduled ones (a rehearsal, a test)",
    )
    airflow_stack.set_defaults(func=_stack)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="child-warehouse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _add_db_command(commands)
    sample = commands.add_parser("sample", help="generate sample submissions and load the sample register")
    sample.add_argument("--out", help="where the register extract and ground truth go (not the landing root)")
    sample.add_argument("--seed", type=int, default=2025)
    sample.add_argument("--children-per-province", type=int, default=30)
    sample.add_argument(
        "--provinces",
        type=_province_codes,
        help="only these post-reform provinces, comma-separated (e.g. 01,66,79); all 34 by default",
    )
    sample.add_argument(
        "--history",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also the 2022 annual reports of the pre-reform provinces merged into the chosen ones "
        "(all 63 for all 34), for series across the July 2025 reform",
    )
    sample.set_defaults(func=_sample)
    dbt = commands.add_parser("dbt", help="run dbt against the warehouse, e.g. `child-warehouse dbt build`")
    dbt.add_argument("dbt_args", nargs=argparse.REMAINDER)
    dbt.set_defaults(func=lambda a: _run_dbt(a.dbt_args))
    _add_airflow_commands(commands)
    linkage = commands.add_parser(
        "linkage",
        help="train the probabilistic model, measure links against truth, or compare DuckDB with Spark",
    )
    linkage.add_argument("action", choices=["train", "evaluate", "febrl4", "backends"])
    linkage.add_argument("--truth", help="with `evaluate`: a CSV of province_code, record_id, personal_id")
    linkage.add_argument(
        "--landing",
        help="with `evaluate`, `train` or `backends`: load (and link) this landing folder in a scratch "
        "database",
    )
    linkage.add_argument("--register", help="with `--landing`: the register extract (persons.csv)")
    linkage.set_defaults(func=_linkage)
    again = commands.add_parser("reprocess", help="reload one province's submissions for a period or range")
    again.add_argument("--province", required=True, help="2-digit province code as it was in that period")
    again.add_argument("--period", required=True, help="the period, or the first of a range (e.g. 2026-Q3)")
    again.add_argument("--to", help="the last period of a range")
    again.add_argument("--type", action="append", help="only this submission type (repeatable)")
    again.add_argument("--dry-run", action="store_true", help="list what would be reloaded, change nothing")
    again.set_defaults(func=_reprocess)
    _add_operations_commands(commands)
    feedback = commands.add_parser("feedback", help="write a province's feedback workbook for a period")
    feedback.add_argument("--province", required=True)
    feedback.add_argument("--period", required=True)
    feedback.set_defaults(func=_feedback)
    check = commands.add_parser(
        "check",
        help="an officer's check of files before sending: the night's own reading and rules, no warehouse",
    )
    check.add_argument("files", nargs="+", help="the files to check (csv, xlsx, json; manifest.json beside)")
    check.add_argument("--province", help="2-digit province code (else from the file's folders)")
    check.add_argument("--period", help="the period, e.g. 2026-H1 (else from the file's folder)")
    check.add_argument("--out", default="kiem_tra", help="where the feedback workbook goes")
    check.add_argument(
        "--examples",
        type=int,
        default=3,
        help="example rows printed per failing rule, different values first (default 3; 0: counts only)",
    )
    check.set_defaults(func=_check)
    catch = commands.add_parser(
        "catch-rates", help="validate generated data and count the injected faults caught"
    )
    catch.add_argument("generated", help="a `python -m child_warehouse.synth national --out` folder")
    catch.set_defaults(func=_catch_rates)
    report = commands.add_parser("report", help="print the marts or the last run as a table")
    report.add_argument("what", choices=["marts", "last-run", "truth"])
    report.add_argument("--truth", help="with `truth`: the sample's truth folder")
    report.set_defaults(func=_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    from child_warehouse.db.cluster import ClusterError

    logging.basicConfig(level=settings.log_level())
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ClusterError as error:  # an operator's problem to fix, not a stack trace to read
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
