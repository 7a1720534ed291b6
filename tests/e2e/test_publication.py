"""Publication through Airflow, on a copy of the run's clean night (narrow sample, provinces' approval.json
included): the night suggested a publish_period run; its national sign-off waits in Required Actions
until the test answers through Airflow's REST API; the release appears, analysts read it, and a
resubmission afterwards withdraws the province's sign-off and yields a revision in the next release
while the first release stays byte-identical. The national report of each release is checked too."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from child_warehouse.orchestration import stack
from child_warehouse.orchestration.publication import APPROVE, REJECT
from child_warehouse.orchestration.publish_run import DAG_ID, SIGN_OFF, answer_sign_off, wait_for_sign_off
from nights import CLI, Warehouse

# Its own xdist group: it waits for the clean night like the night's readers, then runs beside them
# on the other worker (two and a half minutes of its own: a stack, two publications and a night).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("publication")]

RESUBMITTED = Path("79") / "2026-Q3" / "child_records.csv"


@contextmanager
def serving(warehouse: Warehouse) -> Iterator:
    """The warehouse's own Airflow stack (API server, scheduler, dag-processor, triggerer); its client."""
    home = Path(warehouse.root) / "local" / "airflow"
    env = {**warehouse.env, "AIRFLOW__API__PORT": "0"}
    process = subprocess.Popen(
        [CLI, "airflow-stack", "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "the stack did not start"
            if (home / "stack.json").exists():
                port = json.loads((home / "stack.json").read_text())["port"]
                client = stack.Stack(home, port).client()
                if client.healthy():
                    break
            time.sleep(1)
        client.wait_for_dag(DAG_ID)
        yield client
    finally:
        process.terminate()
        try:
            process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()


def _suggested_run(client, periods_with: str) -> str:
    """The run the last night suggested (it waits, queued, while publish_period is paused)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        runs = [r for r in client.active_runs(DAG_ID) if r["dag_run_id"].startswith("suggested__")]
        mine = [r for r in runs if periods_with in (r.get("conf") or {}).get("periods", [])]
        if mine:
            return mine[-1]["dag_run_id"]
        time.sleep(2)
    raise AssertionError(f"no suggested publish_period run for {periods_with}")


def _answer(client, run_id: str, chosen: str, note: str) -> None:
    """Wait until the sign-off asks, check it stays deferred without an answer, then answer."""
    assert wait_for_sign_off(client, run_id, 600) == "awaiting_input"  # and has waited a few seconds:
    assert client.task_state(DAG_ID, run_id, SIGN_OFF) == "awaiting_input"
    assert client.run(DAG_ID, run_id).state == "running"
    detail = client.hitl_detail(DAG_ID, run_id, SIGN_OFF)
    assert detail["options"] == [APPROVE, REJECT]
    assert "Provincial sign-off" in detail["body"]
    assert "File verdicts" in detail["body"]
    answer_sign_off(client, run_id, chosen, note)  # through the REST API, as Required Actions does
    final = client.wait_for_run(DAG_ID, run_id, 600)
    assert final.state == "success", client.task_instances(DAG_ID, run_id)


def _content(warehouse: Warehouse, number: int) -> str:
    from child_warehouse.db.connection import transaction
    from child_warehouse.releases.publish import release_content

    with transaction(warehouse.url) as conn:
        return release_content(conn, number)


def _report_cells(html: str) -> list[str]:
    return re.findall(r"<td>([^<]*)", html)


def test_a_release_through_required_actions_then_a_revision_in_the_next(clean_night, night_clone, tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(clean_night.landing, landing)  # the shared landing zone is read-only: resubmit in a copy
    warehouse = night_clone(CHILD_WAREHOUSE_LANDING_ROOT=str(landing))
    assert warehouse.query("select count(*) from release.releases") == [(0,)]
    with serving(warehouse) as client:
        client.set_paused(DAG_ID, False)
        first = _suggested_run(client, "2026-Q3")
        periods = client.run_conf(DAG_ID, first)["periods"]
        _answer(client, first, REJECT, "Chờ tỉnh 66 phê duyệt")
        assert warehouse.query("select decision, decided_by, note, release_id from release.decisions") == [
            ("rejected", stack.ADMIN, "Chờ tỉnh 66 phê duyệt", None)
        ]
        assert warehouse.query("select count(*) from release.releases") == [(0,)]
        # the same periods again, from the command, approved there (as the stack's Airflow user)
        printed = warehouse.run(
            "publish", "--periods", ",".join(periods), "--approve", "--note", "Đồng ý công bố"
        )
        assert "release 1 published" in printed.stdout

        release = warehouse.query(
            "select release_number, periods, approved_by, rows_published from release.releases"
        )
        assert len(release) == 1
        number, periods, approved_by, rows = release[0]
        assert number == 1
        assert {"2026-Q3", "2026-M10", "2026-9M"} <= set(periods)
        assert approved_by == stack.ADMIN  # the user Airflow authenticated, not a name the DAG chose
        assert rows > 0
        assert warehouse.query("select decision, decided_by, note from release.decisions order by 1") == [
            ("approved", stack.ADMIN, "Đồng ý công bố"),
            ("rejected", stack.ADMIN, "Chờ tỉnh 66 phê duyệt"),
        ]
        # analysts read the release by default (published), the same figures as the marts at the time
        published = warehouse.query(
            "select children_total from published.special_circumstances_by_province "
            "where province_code = '79' and period = '2026-Q3'"
        )
        provisional = warehouse.query(
            "select children_total from marts.special_circumstances_by_province "
            "where province_code = '79' and period = '2026-Q3'"
        )
        assert published == provisional
        assert published[0][0] is not None
        before = _content(warehouse, 1)
        _check_report(warehouse, 1)

        # province 79 sends its child records again: its sign-off is withdrawn, the next release revises
        path = landing / RESUBMITTED
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:-3]))  # three records fewer
        warehouse.run("night")
        assert warehouse.query(
            "select status, reason_code from ledger.signoffs "
            "where province_code = '79' and period = '2026-Q3' and status <> 'superseded'"
        ) == [("withdrawn", "signoff_withdrawn")]
        second = _suggested_run(client, "2026-Q3")
        assert second != first
        _answer(client, second, APPROVE, "Số liệu sửa đổi của tỉnh 79")

    assert _content(warehouse, 1) == before  # the first release, byte for byte
    revised = warehouse.query(
        "select release_number, previous_release_number, reason, old_value, new_value "
        "from published.revisions where mart = 'special_circumstances_by_province' "
        "and province_code = '79' and period = '2026-Q3' and figure = 'children_total'"
    )
    assert len(revised) == 1
    number, previous, reason, old, new = revised[0]
    assert (number, previous, reason) == (2, 1, "resubmission")
    assert int(new) == int(old) - 3
    latest = warehouse.query(
        "select release_number, children_total from published.special_circumstances_by_province "
        "where province_code = '79' and period = '2026-Q3'"
    )
    assert latest == [(2, int(new))]
    # a release can never be changed in place, not even by the superuser
    from child_warehouse.db.connection import transaction

    with (
        pytest.raises(Exception, match="append-only"),
        transaction(warehouse.url) as conn,
        conn.cursor() as cur,
    ):
        cur.execute("update release.mart_rows set row_values = '{}' where release_id = 1")


def _check_report(warehouse: Warehouse, number: int) -> None:
    folder = Path(warehouse.root) / "local" / "reports" / f"release-{number:03d}"
    html = (folder / f"bao_cao_phat_hanh_{number:03d}.html").read_text(encoding="utf-8")
    pdf = (folder / f"bao_cao_phat_hanh_{number:03d}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 20_000
    for chart in (
        "trends",
        "tile_map",
        "ranked_drowning_deaths_reported",
        "ranked_hcdb_supported_share_reported",
    ):
        assert f'data-chart="{chart}"' in html
    assert "<svg" in html
    assert f"Bản phát hành số {number}" in html
    # no count from 1 to 4 anywhere in the province table: withheld cells print as •
    counts = [
        c.strip().split(" ")[0] for c in _report_cells(html) if re.fullmatch(r"\s*[\d.]+( \(\d+\))?\s*", c)
    ]
    assert counts, "the province table has figures"
    assert not [c for c in counts if c.replace(".", "").isdigit() and 1 <= int(c.replace(".", "")) <= 4]


def test_the_nights_sign_offs_equal_the_generators_truth(night):
    """Every approval.json of the sample decided as truth/signoffs.csv says (approved, or refused for
    an earlier draft's hash); a folder without one has no sign-off."""
    import csv

    with (night.truth / "signoffs.csv").open(encoding="utf-8") as handle:
        truth = {(r["province_code"], r["period"]): (r["expected_status"], r["reason_code"] or None)
                 for r in csv.DictReader(handle)}  # fmt: skip
    decided = {
        (province, period): (status, code)
        for province, period, status, code in night.query(
            "select province_code, period, status, reason_code from ledger.signoffs "
            "where status <> 'superseded'"
        )
    }
    expected = {key: value for key, value in truth.items() if value[0] != "none"}
    assert decided == expected
    assert any(status == "approved" for status, _ in decided.values())
