"""Shared fixtures: a fresh warehouse database on the real PostgreSQL for each test session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from child_warehouse import settings
from child_warehouse.db import cluster, connection, migrations


@pytest.fixture(scope="session")
def server_url() -> str:
    """The server tests use: CHILD_WAREHOUSE_DB_URL when set, else the embedded cluster (started)."""
    if settings.external_db_url() is None:
        cluster.start(cluster.default_cluster())
    return connection.warehouse_url("postgres")


def _database_url(server_url: str, name: str) -> str:
    parts = settings.split_db_url(server_url)
    return settings.join_db_url(settings.DatabaseParts(parts.host, parts.port, parts.user, parts.password, name))


def _drop(server_url: str, name: str) -> None:
    conn = connection.connect(server_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'drop database if exists "{name}" with (force)')
    conn.close()


@pytest.fixture(scope="session")
def warehouse_db(server_url: str) -> Iterator[str]:
    """A new database with every migration applied; dropped after the session."""
    name = f"cw_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    conn = connection.connect(server_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'create database "{name}" template template0 encoding \'UTF8\'')
    conn.close()
    url = _database_url(server_url, name)
    migrations.apply_all(url)
    yield url
    _drop(server_url, name)


@pytest.fixture
def db(warehouse_db: str) -> Iterator:
    """A connection to the session's database with the data tables emptied first."""
    conn = connection.connect(warehouse_db)
    with conn, conn.cursor() as cur:
        cur.execute("truncate ledger.submissions, raw.child_records, raw.protection_cases, "
                    "raw.indicator_report, dq.rule_results, dq.row_issues, register.persons, "
                    "links.child_links, ops.province_runs restart identity cascade")
    yield conn
    conn.close()
