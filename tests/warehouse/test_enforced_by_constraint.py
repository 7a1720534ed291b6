"""The keys PostgreSQL enforces are tested in its catalogue (tests/generic/enforced_by_constraint.sql)
instead of by scanning the raw child records every night: the test passes while the constraint is
there, and fails, naming it, once a migration drops it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import run_dbt

pytestmark = pytest.mark.e2e

SELECT = ["test", "--select", "source:raw.child_records source:links.child_links"]


def _dbt_test(url: str, target: Path) -> subprocess.CompletedProcess:
    cli = str(Path(sys.executable).parent / "child-warehouse")
    env = {**os.environ, "CHILD_WAREHOUSE_DB_URL": url, "CHILD_WAREHOUSE_DBT_TARGET_DIR": str(target)}
    return subprocess.run([cli, "dbt", *SELECT], env=env, capture_output=True, text=True, check=False)


def test_a_dropped_foreign_key_fails_its_test(db, warehouse_db, tmp_path):
    run_dbt(warehouse_db, tmp_path, *SELECT)
    with db, db.cursor() as cur:
        cur.execute("alter table raw.child_records drop constraint child_records_submission_id_fkey")
    try:
        result = _dbt_test(warehouse_db, tmp_path)
        assert result.returncode != 0
        failed = [line for line in result.stdout.splitlines() if " FAIL " in line]
        assert len(failed) == 1, result.stdout[-3000:]
        assert "source_enforced_by_constraint_raw_child_records_submission_id__foreign_key" in failed[0]
    finally:
        with db, db.cursor() as cur:
            cur.execute(
                """alter table raw.child_records add constraint child_records_submission_id_fkey
                   foreign key (submission_id) references ledger.submissions (submission_id)"""
            )
    run_dbt(warehouse_db, tmp_path, *SELECT)
