"""Shared fixtures: the real PostgreSQL, fresh warehouses copied from the template, and the run's tag.

Every database a test run makes is named `cwt_<tag>_…` and dropped when the run ends, whichever
worker made it. Test processes get an Airflow home of their own and quiet nights (no lineage events,
no Data Docs) unless a test asks for them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from child_warehouse import settings
from child_warehouse.db import cluster, connection, template
from nights import database_name, run_tag, run_tools

# Tests run on the worker of their module (so a module's fixtures are built once), except those on the
# clean night, which all run on one worker while the night is built once (pytest-xdist loadgroup);
# a module that names an xdist_group of its own keeps it (publication, the killed night).
_NIGHT_FIXTURES = {"clean_night", "night", "night_clone", "any_night"}
_HOME = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """Before anything imports Airflow: a home of this process's own, and the run's tag for its workers."""
    if not hasattr(config, "workerinput"):
        os.environ["CW_TEST_RUN"] = os.environ.get("CW_TEST_RUN") or uuid.uuid4().hex[:8]
    home = tempfile.mkdtemp(prefix="cw-test-airflow-")
    config.stash[_HOME] = home
    os.environ.update(
        {
            "AIRFLOW_HOME": home,
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "True",
            "GX_ANALYTICS_ENABLED": "False",
            "DO_NOT_TRACK": "1",
            # dbt's partial parse per warehouse, reused by this process's dbt runs (support.run_dbt)
            "CW_TEST_DBT_PARSE_CACHE": str(Path(home) / "dbt-partial-parse"),
        }
    )
    # Quiet unless a test asks: lineage events and Data Docs are written only where they are checked.
    os.environ.setdefault("CHILD_WAREHOUSE_LINEAGE", "off")
    os.environ.setdefault("CHILD_WAREHOUSE_DATA_DOCS", "off")
    # Tests write a file and scan it the same moment; the settle rule has tests of its own
    # (tests/sources/test_landing.py, which set it back).
    os.environ.setdefault("CHILD_WAREHOUSE_SETTLE_SECONDS", "0")


def pytest_itemcollected(item: pytest.Item) -> None:
    """Group each test (before pytest-xdist reads the groups, when collection ends)."""
    if item.get_closest_marker("xdist_group"):
        return
    night = _NIGHT_FIXTURES.intersection(getattr(item, "fixturenames", ()))
    item.add_marker(pytest.mark.xdist_group("night" if night else item.nodeid.split("::")[0]))


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(config.stash.get(_HOME, ""), ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controller (or the only process) drops every database the run made, whoever made it."""
    if hasattr(session.config, "workerinput") or "CW_TEST_RUN" not in os.environ:
        return
    try:
        server = connection.warehouse_url("postgres")
        with connection.transaction(server) as conn, conn.cursor() as cur:
            cur.execute("select datname from pg_database where datname like %s", (f"cwt\\_{run_tag()}\\_%",))
            names = [row[0] for row in cur.fetchall()]
    except Exception:
        return
    for name in names:
        connection.drop_database(name, server)


@pytest.fixture(scope="session", autouse=True)
def _data_docs_apart(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Where a test switches Data Docs on, they go to a temporary folder, not the project's own sites."""
    os.environ.setdefault("CHILD_WAREHOUSE_DATA_DOCS_DIR", str(tmp_path_factory.mktemp("data_docs")))


@pytest.fixture(scope="session")
def server_url() -> str:
    """The server tests use: CHILD_WAREHOUSE_DB_URL when set, else the embedded cluster (started)."""
    if settings.external_db_url() is None:
        cluster.start(cluster.default_cluster())
    return connection.warehouse_url("postgres")


@pytest.fixture(scope="session")
def shared_folder(tmp_path_factory: pytest.TempPathFactory, worker_id: str):
    """A folder all workers of this run share (for what is built once per run)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def tools(shared_folder, server_url) -> dict:
    """Built once per run: the template warehouse, a migrated Airflow DB and dbt's manifest."""
    return run_tools(shared_folder, server_url)


@pytest.fixture(scope="session")
def warehouse_db(server_url: str) -> Iterator[str]:
    """This worker's fresh warehouse (a copy of the template); dropped after the session."""
    template.ensure_template(server_url)
    name = database_name("unit")
    url = template.create_database(name, server_url)
    yield url
    connection.drop_database(name, server_url)


@pytest.fixture(scope="session")
def clean_night(shared_folder, server_url, tools):
    """The narrow sample's night through the nightly DAG (LocalExecutor), run once per test run; its
    lineage events are kept (a test reads them). What other nights are compared with."""
    from nights import CLEAN_NIGHT, NARROW_PROVINCES, run_a_night

    return run_a_night(
        shared_folder, server_url, tools, CLEAN_NIGHT, NARROW_PROVINCES, CHILD_WAREHOUSE_LINEAGE="on"
    )


@pytest.fixture
def db(warehouse_db: str) -> Iterator:
    """A connection to the worker's database with the data tables emptied first."""
    conn = connection.connect(warehouse_db)
    with conn, conn.cursor() as cur:
        cur.execute(
            "truncate ledger.submissions, raw.child_records, raw.protection_cases, raw.indicator_report, "
            "dq.rule_results, dq.row_issues, register.persons, register.person_features, register.extracts, "
            "links.child_links, links.review_queue, links.review_decisions, links.scored_features, "
            "ops.province_runs, ops.analyst_provinces "
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
