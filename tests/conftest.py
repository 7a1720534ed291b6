"""Shared fixtures: a fresh warehouse database on the real PostgreSQL for each test session."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from child_warehouse import settings
from child_warehouse.db import cluster, connection, migrations
from support import database_url


@pytest.fixture(scope="session", autouse=True)
def _data_docs_apart(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests' Data Docs go to a temporary folder, not the project's own sites (unless a folder is set)."""
    os.environ.setdefault("CHILD_WAREHOUSE_DATA_DOCS_DIR", str(tmp_path_factory.mktemp("data_docs")))


@pytest.fixture(scope="session")
def server_url() -> str:
    """The server tests use: CHILD_WAREHOUSE_DB_URL when set, else the embedded cluster (started)."""
    if settings.external_db_url() is None:
        cluster.start(cluster.default_cluster())
    return connection.warehouse_url("postgres")


def _seed_reference(url: str) -> None:
    """Validation rules read reference.* (communes, indicators): load them as dbt seeds, as `db init` does."""
    cli = Path(sys.executable).parent / "child-warehouse"
    env = {**os.environ, "CHILD_WAREHOUSE_DB_URL": url}
    result = subprocess.run(
        [str(cli), "dbt", "seed", "--quiet"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def warehouse_db(server_url: str) -> Iterator[str]:
    """A new database with every migration applied; dropped after the session."""
    name = f"cw_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    conn = connection.connect(server_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"create database \"{name}\" template template0 encoding 'UTF8'")
    conn.close()
    url = database_url(server_url, name)
    migrations.apply_all(url)
    _seed_reference(url)
    yield url
    connection.drop_database(name, server_url)


@pytest.fixture
def db(warehouse_db: str) -> Iterator:
    """A connection to the session's database with the data tables emptied first."""
    conn = connection.connect(warehouse_db)
    with conn, conn.cursor() as cur:
        cur.execute(
            "truncate ledger.submissions, raw.child_records, raw.protection_cases, raw.indicator_report, "
            "dq.rule_results, dq.row_issues, register.persons, register.person_features, links.child_links, "
            "links.review_queue, links.review_decisions, ops.province_runs, ops.analyst_provinces "
            "restart identity cascade"
        )
    yield conn
    conn.close()


@pytest.fixture
def make_submission(db):
    """Insert a ledger row as discovery would; returns its submission_id."""
    counter = iter(range(1, 1_000_000))

    def make(
        submission_type: str = "child_records",
        *,
        province: str = "01",
        period: str = "2026-Q3",
        status: str = "loaded",
    ) -> int:
        number = next(counter)
        with db, db.cursor() as cur:
            cur.execute(
                """insert into ledger.submissions (province_code, period, submission_type, file_uri,
                       file_name, size_bytes, sha256, arrived_at, version, status)
                   values (%s, %s, %s, 'file:///test', %s, 1, %s, now(), %s, %s) returning submission_id""",
                (
                    province,
                    period,
                    submission_type,
                    f"{submission_type}-{number}.csv",
                    f"sha-{number}",
                    number,
                    status,
                ),
            )
            return cur.fetchone()[0]

    return make
