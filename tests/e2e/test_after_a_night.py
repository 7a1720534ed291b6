"""What engineers rely on after a real night: its lineage events, the 06:00 freshness alert, a backup
that restores to the same marts. On the run's clean night, or a copy of it where something changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from child_warehouse import settings
from nights import marts_snapshot
from support import webhook_receiver

pytestmark = pytest.mark.e2e

CHILD_FILE = Path("79") / "2026-Q3" / "child_records.csv"


def test_the_nights_lineage_names_the_submission_files_and_the_marts(clean_night):
    events_file = Path(clean_night.root) / "local" / "lineage" / "events.jsonl"
    events = [json.loads(line) for line in events_file.read_text().splitlines()]
    completed = [e for e in events if e["eventType"] == "COMPLETE"]
    inputs = {(e["job"]["name"], i["name"]) for e in completed for i in e.get("inputs", [])}
    outputs = {(e["job"]["name"], o["name"]) for e in completed for o in e.get("outputs", [])}
    landing = clean_night.landing
    assert ("nightly_load.load_and_validate_province", f"{landing}/{CHILD_FILE}") in inputs
    loaded = {name for job, name in outputs if job == "nightly_load.load_and_validate_province"}
    assert any(name.endswith(".raw.child_records") for name in loaded)
    marts = {name for job, name in outputs if job == "nightly_load.build_marts"}
    assert f"{clean_night.name}.marts.special_circumstances_by_province" in marts
    assert f"{clean_night.name}.marts.protection_cases_by_province" in marts
    # each task names only its own datasets: no landing file leaks into a dbt task's inputs
    assert not [name for job, name in inputs if job.startswith("nightly_load.build_") and landing in name]


def test_a_night_without_lineage_writes_no_events(night):
    """Lineage off (CHILD_WAREHOUSE_LINEAGE=off): the copy's own home holds no events file."""
    assert not (Path(night.root) / "local" / "lineage" / "events.jsonl").exists()


def test_the_deadline_check_alerts_only_when_the_marts_are_stale(night_clone):
    with webhook_receiver() as (webhook, received):
        warehouse = night_clone(CHILD_WAREHOUSE_ALERT_WEBHOOK=webhook)
        warehouse.run("airflow", "dags", "test", "marts_freshness", _now_in_vietnam())
        assert [a for a in received if a.get("kind") == "deadline"] == []
        warehouse.run("airflow", "dags", "test", "marts_freshness", "2031-01-02T06:00:00+07:00")
        deadline = [a for a in received if a.get("kind") == "deadline"]
    assert len(deadline) == 1
    assert "marts not fresh by 06:00 Asia/Ho_Chi_Minh" in deadline[0]["reason"]
    assert "latest run" in deadline[0]["reason"]


def _now_in_vietnam() -> str:
    """A deadline just after the night, which ran now whatever its logical date."""
    import pendulum

    return pendulum.now(settings.TIMEZONE).isoformat()


def test_a_restored_backup_has_the_same_marts(night_clone, tmp_path):
    warehouse = night_clone()
    dump = tmp_path / "warehouse.dump"
    warehouse.run("db", "backup", "--out", str(dump))
    restored = f"{warehouse.name}_restored"
    warehouse.run("db", "restore", str(dump), "--into", restored)
    restored_url = warehouse.url.rsplit("/", 1)[0] + "/" + restored
    try:
        assert marts_snapshot(warehouse, restored_url) == marts_snapshot(warehouse)
        ledger = "select submission_id, status, sha256 from ledger.submissions order by 1"
        assert warehouse.query(ledger, restored_url) == warehouse.query(ledger)
    finally:
        from child_warehouse.db import connection

        connection.drop_database(restored, warehouse.server_url)
