"""Failure alerts reach a webhook with the DAG, task, province and reason; delivery never raises."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace

import pytest

from child_warehouse.operations.alerts import failure_message, send
from child_warehouse.orchestration.defaults import notify_failure


@pytest.fixture
def receiver():
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()


def _context():
    ti = SimpleNamespace(
        dag_id="nightly_load", task_id="load_province", rendered_map_index="79", try_number=3
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
        "[child-warehouse] nightly_load.load_province (tỉnh/province 79) "
        "thất bại / failed: could not connect to server"
    )


def test_the_failure_callback_delivers_to_the_configured_webhook(receiver, monkeypatch):
    url, received = receiver
    monkeypatch.setenv("CHILD_WAREHOUSE_ALERT_WEBHOOK", url)
    notify_failure(_context())
    assert [m["task_id"] for m in received] == ["load_province"]
    assert received[0]["run_id"] == "scheduled__2026-11-23"


def test_an_unreachable_or_unset_webhook_does_not_raise(monkeypatch):
    monkeypatch.delenv("CHILD_WAREHOUSE_ALERT_WEBHOOK", raising=False)
    assert send({"text": "x"}) is False
    assert send({"text": "x"}, url="http://127.0.0.1:9/unreachable") is False
    assert send({"text": "x"}, url="file:///etc/passwd") is False
