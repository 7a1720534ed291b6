"""A dry run lists what a run would do and changes nothing: not the warehouse, not Airflow's Asset events.

Run through Airflow's scheduler on a copy of the clean night, as `child-warehouse night --dry-run`
runs it: a reprocess of a province's periods, which without `dry_run` sets its files back to pending.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from psycopg2 import sql

pytestmark = pytest.mark.e2e

SCHEMAS = ("ledger", "raw", "dq", "links", "staging", "intermediate", "core", "marts", "ops")


def fingerprint(warehouse) -> dict[str, str]:
    """Every table of the warehouse's own schemas as one hash of its rows, and every sequence's position."""
    tables = warehouse.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema = any(%s) and table_type = 'BASE TABLE' order by 1, 2",
        None,
        (list(SCHEMAS),),
    )
    digest = "select md5(coalesce(string_agg(t::text, chr(10) order by t::text), '')) from {} as t"
    found = {}
    for schema, table in tables:
        query = sql.SQL(digest).format(sql.Identifier(schema, table))
        found[f"{schema}.{table}"] = warehouse.query(query)[0][0]
    sequences = warehouse.query(
        "select sequence_schema, sequence_name from information_schema.sequences "
        "where sequence_schema = any(%s)",
        None,
        (list(SCHEMAS),),
    )
    for schema, sequence in sequences:
        query = sql.SQL("select last_value from {}").format(sql.Identifier(schema, sequence))
        found[f"{schema}.{sequence}"] = str(warehouse.query(query)[0][0])
    return found


def airflow_rows(warehouse, query: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(Path(warehouse.root) / "local" / "airflow" / "airflow.db") as db:
        return db.execute(query, params).fetchall()


@pytest.fixture(scope="module")
def dry_run(clean_night, tmp_path_factory):
    from nights import clone

    warehouse = clone(clean_night, tmp_path_factory.mktemp("dry-run"))
    try:
        before = {
            "warehouse": fingerprint(warehouse),
            "asset_events": airflow_rows(warehouse, "select id from asset_event order by id"),
            "runs": airflow_rows(warehouse, "select run_id from dag_run where dag_id = 'nightly_load'"),
        }
        result = warehouse.run(
            "night", "--province", "01", "--period-from", "2026-Q3", "--period-to", "2026-M10", "--dry-run"
        )
        yield warehouse, before, result
    finally:
        warehouse.drop()


def test_a_dry_run_changes_nothing_in_the_warehouse(dry_run):
    warehouse, before, _ = dry_run
    after = fingerprint(warehouse)
    assert [name for name in sorted(after) if after[name] != before["warehouse"].get(name)] == []
    assert after.keys() == before["warehouse"].keys()


def test_a_dry_run_publishes_no_asset_event(dry_run):
    warehouse, before, _ = dry_run
    assert airflow_rows(warehouse, "select id from asset_event order by id") == before["asset_events"]


def test_a_dry_run_is_a_real_run_beside_the_last_and_skips_everything_after_discovery(dry_run):
    warehouse, before, result = dry_run
    runs = airflow_rows(warehouse, "select run_id, state from dag_run where dag_id = 'nightly_load'")
    assert {r for r, _ in runs} > {r for (r,) in before["runs"]}, "the earlier run is still there"
    (new_run,) = [r for r, _ in runs if (r,) not in before["runs"]]
    assert new_run in result.stdout
    assert " success" in result.stdout
    states = dict(
        airflow_rows(
            warehouse,
            "select task_id, state from task_instance where run_id = ? and map_index = -1",
            (new_run,),
        )
    )
    assert states.pop("discover_submissions") == "success"
    assert states.pop("stop_if_dry_run") == "success"
    assert set(states.values()) == {"skipped"}, states


def test_the_dry_run_log_lists_the_plan(dry_run):
    warehouse, _, _ = dry_run
    logs = Path(warehouse.root) / "local" / "airflow" / "logs" / "dag_id=nightly_load"
    (log,) = [p for p in logs.glob("run_id=*/task_id=discover_submissions/attempt=1.log") if p.stat().st_size]
    events = [json.loads(line)["event"] for line in log.read_text(encoding="utf-8").splitlines()][-30:]
    text = "\n".join(events)
    assert "file(s) to reload" in text
    assert "Summary: dry run:" in text
    assert "Nothing was changed." in text
