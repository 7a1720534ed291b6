"""Backup and restore with the cluster's own pg_dump/pg_restore: a restore gives the same warehouse."""

import subprocess
import sys
from pathlib import Path

import pytest

from child_warehouse import settings
from child_warehouse.db import connection
from child_warehouse.db.cluster import ClusterError
from child_warehouse.operations.backup import backup, restore

TABLES = (
    "select datcollate from pg_database where datname = current_database()",  # 'C', as made
    "select submission_id, province_code, status, sha256 from ledger.submissions order by 1",
    "select province_code, valid_from from reference.provinces order by 1, 2",
    "select grantee, table_schema, privilege_type from information_schema.role_table_grants "
    "where table_schema in ('ledger', 'marts', 'reference') order by 1, 2, 3",
)


def _rows(url: str) -> list[list[tuple]]:
    with connection.transaction(url) as conn, conn.cursor() as cur:
        out = []
        for sql in TABLES:
            cur.execute(sql)
            out.append(cur.fetchall())
        return out


def _other(url: str, name: str) -> str:
    parts = settings.split_db_url(url)
    return settings.join_db_url(
        settings.DatabaseParts(parts.host, parts.port, parts.user, parts.password, name)
    )


@pytest.fixture
def restored_name(server_url, warehouse_db):
    name = settings.split_db_url(warehouse_db).dbname + "_restored"
    yield name
    connection.drop_database(name, server_url)


def test_a_restore_into_a_new_database_equals_the_backup(
    db, warehouse_db, make_submission, restored_name, tmp_path
):
    make_submission(province="01", status="accepted")
    make_submission("protection_cases", province="79", status="rejected")
    dump = backup(tmp_path / "nested" / "warehouse.dump", warehouse_db)
    assert dump.stat().st_mode & 0o777 == 0o600
    assert restore(dump, warehouse_db, into=restored_name) == restored_name
    assert _rows(_other(warehouse_db, restored_name)) == _rows(warehouse_db)


def test_restore_never_writes_over_a_database_unless_told(
    db, warehouse_db, make_submission, restored_name, tmp_path
):
    make_submission(province="01", status="accepted")
    dump = backup(tmp_path / "warehouse.dump", warehouse_db)
    restore(dump, warehouse_db, into=restored_name)
    with pytest.raises(ClusterError, match="exists"):
        restore(dump, warehouse_db, into=restored_name)
    restored = _other(warehouse_db, restored_name)
    with connection.transaction(restored) as conn, conn.cursor() as cur:
        cur.execute("delete from ledger.submissions")
    restore(dump, warehouse_db, into=restored_name, replace=True)
    assert _rows(restored) == _rows(warehouse_db)


def _cli(*args: str, url: str) -> subprocess.CompletedProcess:
    cli = str(Path(sys.executable).parent / "child-warehouse")
    env = {"CHILD_WAREHOUSE_DB_URL": url, "PATH": "/usr/bin:/bin"}
    return subprocess.run([cli, *args], env=env, capture_output=True, text=True, check=False)


def test_the_commands_back_up_and_restore(warehouse_db, restored_name, tmp_path):
    dump = tmp_path / "cli.dump"
    done = _cli("db", "backup", "--out", str(dump), url=warehouse_db)
    assert done.returncode == 0, done.stderr
    refused = _cli("db", "restore", str(dump), url=warehouse_db)
    assert refused.returncode == 2
    assert "--replace" in refused.stderr
    done = _cli("db", "restore", str(dump), "--into", restored_name, url=warehouse_db)
    assert done.returncode == 0, done.stderr
    assert _rows(_other(warehouse_db, restored_name)) == _rows(warehouse_db)
