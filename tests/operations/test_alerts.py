"""Failure alerts reach a webhook with the DAG, task, province and reason; delivery never raises."""

from types import SimpleNamespace

from child_warehouse.operations.alerts import alert_needs_attention, failure_message, send
from child_warehouse.orchestration.defaults import notify_failure


def _context():
    ti = SimpleNamespace(
        dag_id="nightly_load", task_id="load_and_validate_province", rendered_map_index="79", try_number=3
    )
    return {
        "task_instance": ti,
        "run_id": "scheduled__2026-11-23",
        "exception": RuntimeError("could not connect to server\nmore detail"),
    }


def test_the_alert_names_dag_task_province_and_first_line():
    message = failure_message(_context())
    assert message["province"] == "79"
    assert message["reason"] == "could not connect to server"
    assert message["text"] == (
        "[child-warehouse] nightly_load.load_and_validate_province (tỉnh/province 79) "
        "thất bại / failed: could not connect to server"
    )


def test_the_failure_callback_delivers_to_the_configured_webhook(receiver, monkeypatch):
    url, received = receiver
    monkeypatch.setenv("CHILD_WAREHOUSE_ALERT_WEBHOOK", url)
    notify_failure(_context())
    assert [m["task_id"] for m in received] == ["load_and_validate_province"]
    assert received[0]["run_id"] == "scheduled__2026-11-23"


def test_an_unreachable_or_unset_webhook_does_not_raise(monkeypatch):
    monkeypatch.delenv("CHILD_WAREHOUSE_ALERT_WEBHOOK", raising=False)
    assert send({"text": "x"}) is False
    assert send({"text": "x"}, url="http://127.0.0.1:9/unreachable") is False
    assert send({"text": "x"}, url="file:///etc/passwd") is False


def test_a_province_with_a_rejected_file_is_alerted_with_the_first_reason(
    db, warehouse_db, make_submission, receiver, monkeypatch
):
    url, received = receiver
    monkeypatch.setenv("CHILD_WAREHOUSE_ALERT_WEBHOOK", url)
    bad = make_submission(province="79", status="rejected")
    make_submission(province="01", status="accepted")
    with db, db.cursor() as cur:
        cur.execute(
            """update ledger.submissions set processed_run_id = 'night-1',
                   reason_en = case when submission_id = %s then 'lacks required columns: record_id' end""",
            (bad,),
        )
        cur.execute(
            """insert into ops.province_runs (run_id, province_code, files_found, files_rejected, outcome)
               values ('night-1', '79', 1, 1, 'needs_attention'), ('night-1', '01', 1, 0, 'ok')"""
        )
    assert alert_needs_attention("nightly_load", "night-1", warehouse_db) == 1
    assert [m["province"] for m in received] == ["79"]
    assert received[0]["kind"] == "needs_attention"
    assert received[0]["reason"].endswith("lacks required columns: record_id")
    assert "(tỉnh/province 79) cần xử lý / needs attention: 1 of 1 file(s) rejected" in received[0]["text"]
