"""Lineage settings and reporting: a local file by default, a backend by setting, own datasets per task."""

import json

from child_warehouse.orchestration import lineage


def test_events_go_to_a_local_file_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("CHILD_WAREHOUSE_LINEAGE_URL", raising=False)
    monkeypatch.delenv("CHILD_WAREHOUSE_LINEAGE", raising=False)
    monkeypatch.delenv("CHILD_WAREHOUSE_LINEAGE_DIR", raising=False)
    monkeypatch.setenv("CHILD_WAREHOUSE_LOCAL_DIR", str(tmp_path))
    env = lineage.airflow_lineage_settings()
    transport = json.loads(env["AIRFLOW__OPENLINEAGE__TRANSPORT"])
    assert transport == {
        "type": "file",
        "log_file_path": str(tmp_path / "lineage" / "events.jsonl"),
        "append": True,
    }
    assert (tmp_path / "lineage").is_dir()
    assert env["AIRFLOW__OPENLINEAGE__NAMESPACE"] == "child_warehouse"


def test_a_backend_by_setting_and_off_by_setting(monkeypatch):
    monkeypatch.delenv("CHILD_WAREHOUSE_LINEAGE", raising=False)
    monkeypatch.setenv("CHILD_WAREHOUSE_LINEAGE_URL", "http://marquez.internal:5000")
    transport = json.loads(lineage.airflow_lineage_settings()["AIRFLOW__OPENLINEAGE__TRANSPORT"])
    assert transport == {"type": "http", "url": "http://marquez.internal:5000", "endpoint": "api/v1/lineage"}
    monkeypatch.setenv("CHILD_WAREHOUSE_LINEAGE", "off")
    assert lineage.airflow_lineage_settings() == {"AIRFLOW__OPENLINEAGE__DISABLED": "True"}


def test_tables_are_named_as_openlineage_names_postgres_datasets(monkeypatch):
    monkeypatch.setenv("CHILD_WAREHOUSE_DB_URL", "postgresql://u:secret@db.internal:5433/child_warehouse")
    uri = lineage.table_uri("marts.special_circumstances_by_province")
    assert uri == "postgres://db.internal:5433/child_warehouse/marts/special_circumstances_by_province"
    assert "secret" not in uri


def test_a_task_reports_only_its_own_datasets(monkeypatch):
    from airflow.sdk.lineage import get_hook_lineage_collector

    monkeypatch.setattr(
        "airflow.sdk.plugins_manager.get_hook_lineage_readers_plugins", lambda: [object()], raising=False
    )
    lineage.forget_collected()
    lineage.report(
        ["file:///landing/79/2026-Q3/child_records.csv"], ["postgres://h:5432/db/raw/child_records"]
    )
    collected = get_hook_lineage_collector().collected_assets
    assert [a.asset.uri for a in collected.inputs] == ["file:///landing/79/2026-Q3/child_records.csv"]
    lineage.forget_collected()
    lineage.report([], ["postgres://h:5432/db/dq/row_issues"])
    collected = get_hook_lineage_collector().collected_assets
    assert collected.inputs == []
    assert [a.asset.uri for a in collected.outputs] == ["postgres://h:5432/db/dq/row_issues"]
    lineage.forget_collected()
