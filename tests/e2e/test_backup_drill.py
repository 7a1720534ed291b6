"""The backup and restore drill of the runbook (docs/operations.md), on a real night: back up, make a
fresh PostgreSQL cluster of its own, `db migrate` there (roles and the pipeline's logins), restore
with `--replace`; the marts, the ledger, links and reviewers' decisions equal the originals, and the
pipeline's logins work on the restored warehouse."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from child_warehouse import settings
from child_warehouse.db import cluster, connection
from child_warehouse.db.roles import stage_url
from nights import CLI, Warehouse, marts_snapshot, run_tag

pytestmark = pytest.mark.e2e

TABLES = {
    "ledger": "select * from ledger.submissions order by submission_id",
    "decisions": "select * from links.review_decisions order by 1, 2, 3",
    "links": "select * from links.child_links order by submission_id, source_row",
    "raw": "select count(*), sum(source_row) from raw.child_records",
}


def _cli(env: dict, *args: str) -> str:
    result = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def drilled(clean_night, tmp_path_factory):
    from nights import clone

    original = clone(clean_night, tmp_path_factory.mktemp("drill"))
    # The cluster's folder must be one the postgres user can reach (pytest's temporary folders are
    # not): the project's local folder, which .ci/run moves when the clone itself is closed.
    fresh = cluster.EmbeddedCluster(settings.local_dir() / f"drill-pg-{run_tag()}", cluster.free_port())
    try:
        original.query(
            """insert into links.review_decisions (province_code, record_id, candidate_personal_id,
                   decision, decided_by, note)
               values ('79', 'HCM-00001', '079215000001', 'non_match', 'reviewer@cpcs', 'drill');
               select 1"""
        )
        dump = Path(original.root) / "warehouse.dump"
        _cli(original.env, "db", "backup", "--out", str(dump))
        cluster.start(fresh)
        target = {**original.env, "CHILD_WAREHOUSE_DB_URL": fresh.url("child_warehouse")}
        _cli(target, "db", "migrate")
        _cli(target, "db", "restore", str(dump), "--replace")
        restored = Warehouse(fresh.url("postgres"), "child_warehouse", original.root, original.key, "")
        yield original, restored, dump
    finally:
        original.drop()
        cluster.stop(fresh, mode="immediate")
        shutil.rmtree(fresh.root, ignore_errors=True)


def test_the_restored_warehouse_equals_the_original(drilled):
    original, restored, _ = drilled
    for name, query in TABLES.items():
        assert restored.query(query) == original.query(query), name
    assert original.query("select count(*) from links.review_decisions") == [(1,)]
    assert marts_snapshot(restored) == marts_snapshot(original)


def test_the_backup_is_readable_by_its_owner_only(drilled):
    _, _, dump = drilled
    assert dump.stat().st_mode & 0o077 == 0


def test_the_pipelines_logins_work_on_the_restored_warehouse(drilled):
    """The grants came back with the backup; the logins are the new server's (made by `db migrate`)."""
    _, restored, _ = drilled
    for group, query in (
        ("loader", "select count(*) from ledger.submissions"),
        ("linker", "select count(*) from register.persons"),
        ("transformer", "select count(*) from marts.special_circumstances_by_province"),
    ):
        assert connection.fetch_all(query, url=stage_url(group, restored.url))[0][0] > 0, group
