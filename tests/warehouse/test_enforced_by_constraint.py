"""The keys PostgreSQL enforces are tested in its catalogue (tests/generic/enforced_by_constraint.sql)
instead of by scanning the raw child records every night: the test passes while the constraint is
there, and fails, naming it, once a migration drops it; the same for the reference to the ledger,
checked per statement by triggers (migration 0022, tests/generic/referenced_per_statement.sql). Two
large incremental models' keys are constraints their own build adds (macro enforce_key), tested the
same way."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from support import dbt_command, run_dbt

pytestmark = pytest.mark.e2e

SELECT = ["test", "--select", "source:raw.child_records source:links.child_links"]
MODEL = "intermediate.int_child_records_accepted"


def _dbt_test(url: str, target: Path, selection: list[str] = SELECT) -> subprocess.CompletedProcess:
    return dbt_command(url, target, *selection)


def test_a_disabled_reference_check_fails_its_test(db, warehouse_db, tmp_path):
    run_dbt(warehouse_db, tmp_path, *SELECT)
    with db, db.cursor() as cur:
        cur.execute("alter table raw.child_records disable trigger references_submissions")
    try:
        result = _dbt_test(warehouse_db, tmp_path)
        assert result.returncode != 0
        failed = [line for line in result.stdout.splitlines() if " FAIL " in line]
        assert len(failed) == 1, result.stdout[-3000:]
        assert "source_referenced_per_statement_raw_child_records_ledger_submissions" in failed[0]
    finally:
        with db, db.cursor() as cur:
            cur.execute("alter table raw.child_records enable trigger references_submissions")
    run_dbt(warehouse_db, tmp_path, *SELECT)


def test_a_model_without_its_key_fails_and_its_next_build_adds_it(db, warehouse_db, tmp_path):
    """A table of the model built without its key (by a version before enforce_key, or with the
    constraint dropped by hand) fails the catalogue test; the next incremental build adds the key."""
    keys = ["test", "--select", "int_child_records_accepted,test_name:enforced_by_constraint"]
    run_dbt(warehouse_db, tmp_path, "run", "--select", "+int_child_records_accepted", "--full-refresh")
    run_dbt(warehouse_db, tmp_path, *keys)
    with db, db.cursor() as cur:
        # named by PostgreSQL: _pkey, or _pkey1 when a full refresh built the table beside the old one
        cur.execute(
            "select conname from pg_constraint where conrelid = %s::regclass and contype = 'p'", (MODEL,)
        )
        cur.execute(f"alter table {MODEL} drop constraint {cur.fetchone()[0]}")
    result = _dbt_test(warehouse_db, tmp_path, keys)
    assert result.returncode != 0
    failed = [line for line in result.stdout.splitlines() if " FAIL " in line]
    assert len(failed) == 1, result.stdout[-3000:]
    assert "enforced_by_constraint_int_child_records_accepted_province_code__period__record_id" in failed[0]

    run_dbt(warehouse_db, tmp_path, "run", "--select", "int_child_records_accepted")  # incremental
    run_dbt(warehouse_db, tmp_path, *keys)
    with db, db.cursor() as cur:
        cur.execute(
            """select array_agg(attname::text order by attname) from pg_constraint as c
               join pg_attribute as a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
               where c.conrelid = %s::regclass and c.contype = 'p'""",
            (MODEL,),
        )
        assert cur.fetchone()[0] == ["period", "province_code", "record_id"]
