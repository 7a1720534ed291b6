"""Break one province's file on purpose: the night goes on for the other 33, the engineers are
alerted with the reason, the province is reprocessed alone once fixed, and the marts equal a clean run's.

One broken night and one reprocess night (own database, landing zone and Airflow home), compared with
the session's clean night on the same sample (tests/e2e/conftest.py); the broken night's lineage
file, the 06:00 freshness check and a backup/restore are checked on
the result, since they need a real night too.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from child_warehouse import settings
from child_warehouse.db import connection
from support import database_url, isolated_env, webhook_receiver

pytestmark = pytest.mark.e2e

CLI = str(Path(sys.executable).parent / "child-warehouse")
BROKEN = "79"
CHILD_FILE = Path(BROKEN) / "2026-Q3" / "child_records.csv"
# Marts that count what arrived (files, rejections, resubmissions, arrival times) rightly remember
# the broken file; every other mart must equal the clean run's.
SUBMISSION_HISTORY_MARTS = {"submission_compliance"}
SUBMISSION_HISTORY_COLUMNS = {"files_received", "resubmissions", "files_rejected", "submissions_rejected"}


@pytest.fixture(scope="module")
def receiver():
    with webhook_receiver() as endpoint:
        yield endpoint


class Warehouse:
    """One database, landing zone, Airflow home and dbt target, driven through the command."""

    def __init__(self, server_url: str, root: Path, key: str, webhook: str) -> None:
        self.server_url, self.root = server_url, root
        self.name = f"cw_e2e_{uuid.uuid4().hex[:8]}"
        self.url = database_url(server_url, self.name)
        self.landing = root / "landing"
        self.env = isolated_env(self.url, root, key, CHILD_WAREHOUSE_ALERT_WEBHOOK=webhook)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([CLI, *args], env=self.env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return result

    def prepare(self) -> None:
        self.run("db", "init")
        self.run("sample", "--out", str(self.root / "sample"), "--children-per-province", "12")
        self.run("dbt", "parse", "--quiet")
        self.run("airflow", "db", "migrate")

    def query(self, sql: str, url: str | None = None) -> list[tuple]:
        with connection.transaction(url or self.url) as conn, conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()

    def drop(self, *names: str) -> None:
        conn = connection.connect(self.server_url)
        conn.autocommit = True
        with conn.cursor() as cur:
            for name in (self.name, *names):
                cur.execute(f'drop database if exists "{name}" with (force)')
        conn.close()


def marts_snapshot(warehouse: Warehouse, url: str | None = None) -> dict[str, list[tuple]]:
    """Every mart's rows (sorted), without the columns that record when or how files arrived."""
    columns = warehouse.query(
        """select table_name, column_name from information_schema.columns
           where table_schema = 'marts' and data_type not like 'timestamp%'
           order by table_name, ordinal_position""",
        url,
    )
    tables: dict[str, list[str]] = {}
    for table, column in columns:
        if table not in SUBMISSION_HISTORY_MARTS and column not in SUBMISSION_HISTORY_COLUMNS:
            tables.setdefault(table, []).append(column)
    snapshot = {}
    for table, names in tables.items():
        listed = ", ".join(f'"{n}"' for n in names)
        order = ", ".join(str(i + 1) for i in range(len(names)))
        snapshot[table] = warehouse.query(f"select {listed} from marts.{table} order by {order}", url)
    return snapshot


def break_header(path: Path) -> bytes:
    """The officer's export lost its header row: the first child becomes the 'header'."""
    original = path.read_bytes()
    path.write_bytes(original.split(b"\n", 1)[1])
    return original


@pytest.fixture(scope="module")
def nights(server_url, tmp_path_factory, receiver, night):
    webhook, received = receiver
    key = secrets.token_hex(32)
    broken = Warehouse(server_url, tmp_path_factory.mktemp("broken"), key, webhook)
    try:
        broken.prepare()
        original = break_header(broken.landing / CHILD_FILE)
        broken.run("night", "--date", "2026-11-20")
        after_break = {
            "runs": broken.query("select province_code, outcome from ops.province_runs order by 1"),
            "rejected": broken.query(
                "select province_code, file_name, reason_en from ledger.submissions where status = 'rejected'"
            ),
            "alerts": list(received),
            "marts": marts_snapshot(broken),
        }
        (broken.landing / CHILD_FILE).write_bytes(original)  # the province sends the file again
        broken.run("reprocess", "--province", BROKEN, "--period", "2026-Q3", "--to", "2026-M10")
        broken.run("night", "--date", "2026-11-21")
        # The clean run to compare with: the session's night, the same sample on the same date.
        yield {"broken": broken, "clean_url": night["url"], "after_break": after_break, "received": received}
    finally:
        broken.drop(f"{broken.name}_restored")


def test_the_night_finishes_for_the_other_33_provinces(nights):
    runs = dict(nights["after_break"]["runs"])
    with (nights["broken"].root / "sample" / "truth" / "expected_by_province.csv").open() as handle:
        provinces = {line.split(",")[0] for line in list(handle)[1:]}
    assert len(provinces) == 34
    assert provinces <= runs.keys()  # (the sample may add pre-reform provinces' history too)
    assert runs.pop(BROKEN) == "needs_attention"
    assert set(runs.values()) == {"ok"}
    assert nights["after_break"]["marts"]["special_circumstances_by_province"], "marts were built"
    rejected = nights["after_break"]["rejected"]
    assert [(p, f) for p, f, _ in rejected] == [(BROKEN, str(CHILD_FILE))]


def test_the_failure_is_alerted_with_its_reason(nights):
    alerts = [a for a in nights["after_break"]["alerts"] if a.get("kind") == "needs_attention"]
    assert [a["province"] for a in alerts] == [BROKEN]
    alert = alerts[0]
    assert alert["dag_id"] == "nightly_load"
    assert "child_records.csv" in alert["reason"]
    assert "required columns" in alert["reason"]
    assert f"province {BROKEN}" in alert["text"]


def test_reprocessing_the_fixed_province_gives_the_marts_of_a_clean_run(nights):
    broken = nights["broken"]
    runs = broken.query(
        "select province_code, outcome from ops.province_runs where run_id = "
        "(select run_id from ops.province_runs order by finished_at desc limit 1)"
    )
    assert runs == [(BROKEN, "ok")], "the reprocess night worked on that province alone"
    fixed, expected = marts_snapshot(broken), marts_snapshot(broken, nights["clean_url"])
    assert fixed.keys() == expected.keys()
    for table in expected:
        assert fixed[table] == expected[table], table
    assert (
        fixed["special_circumstances_by_province"]
        != nights["after_break"]["marts"]["special_circumstances_by_province"]
    ), "the broken night's marts lacked the province"


def test_the_nights_lineage_names_the_submission_files_and_the_marts(nights):
    events = [
        json.loads(line)
        for line in (nights["broken"].root / "local" / "lineage" / "events.jsonl").read_text().splitlines()
    ]
    completed = [e for e in events if e["eventType"] == "COMPLETE"]
    inputs = {(e["job"]["name"], i["name"]) for e in completed for i in e.get("inputs", [])}
    outputs = {(e["job"]["name"], o["name"]) for e in completed for o in e.get("outputs", [])}
    landing = str(nights["broken"].landing)
    assert ("nightly_load.load_province", f"{landing}/{CHILD_FILE}") in inputs
    loaded = {name for job, name in outputs if job == "nightly_load.load_province"}
    assert any(name.endswith(".raw.child_records") for name in loaded)
    marts = {name for job, name in outputs if job.startswith("nightly_load.build_marts.")}
    database = nights["broken"].name
    assert f"{database}.marts.special_circumstances_by_province" in marts
    assert f"{database}.marts.protection_cases_by_province" in marts
    # each task names only its own datasets: no landing file leaks into a dbt task's inputs
    assert not [name for job, name in inputs if job.startswith("nightly_load.build_") and landing in name]


def test_the_deadline_check_alerts_only_when_the_marts_are_stale(nights):
    broken, received = nights["broken"], nights["received"]
    before = len(received)
    broken.run("airflow", "dags", "test", "marts_freshness", _now_in_vietnam())
    assert [a for a in received[before:] if a.get("kind") == "deadline"] == []
    broken.run("airflow", "dags", "test", "marts_freshness", "2031-01-02T06:00:00+07:00")
    deadline = [a for a in received[before:] if a.get("kind") == "deadline"]
    assert len(deadline) == 1
    assert "marts not fresh by 06:00 Asia/Ho_Chi_Minh" in deadline[0]["reason"]
    assert "latest run" in deadline[0]["reason"]


def _now_in_vietnam() -> str:
    """A deadline just after the nights above, which ran now whatever their logical dates."""
    import pendulum

    return pendulum.now(settings.TIMEZONE).isoformat()


def test_a_restored_backup_has_the_same_marts(nights, tmp_path):
    broken = nights["broken"]
    dump = tmp_path / "warehouse.dump"
    broken.run("db", "backup", "--out", str(dump))
    restored_name = f"{broken.name}_restored"
    broken.run("db", "restore", str(dump), "--into", restored_name)
    restored_url = broken.url.rsplit("/", 1)[0] + "/" + restored_name
    assert marts_snapshot(broken, restored_url) == marts_snapshot(broken)
    ledger = "select submission_id, status, sha256 from ledger.submissions order by 1"
    assert broken.query(ledger, restored_url) == broken.query(ledger)
