"""Break one province's file on purpose: the night goes on for the others, the engineers are alerted
with the reason, the corrected file the province sends is loaded alone by the next night, and the marts
equal a clean run's.

Two nights on a warehouse of their own (the narrow sample with Hồ Chí Minh City's child records broken),
compared with the run's clean night of the same sample. Slow tier.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from nights import NIGHT_DATE, marts_snapshot, prepare
from support import webhook_receiver

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("break-one")]

BROKEN = "79"
CHILD_FILE = Path(BROKEN) / "2026-Q3" / "child_records.csv"
# Marts that count what arrived (files, rejections, resubmissions, arrival times) rightly remember
# the broken file; every other mart must equal the clean run's.
SUBMISSION_HISTORY = {
    "skip_tables": frozenset({"submission_compliance"}),
    "skip_columns": frozenset({"files_received", "resubmissions", "files_rejected", "submissions_rejected"}),
}


def break_header(path: Path) -> bytes:
    """The officer's export lost its header row: the first child becomes the 'header'."""
    original = path.read_bytes()
    path.write_bytes(original.split(b"\n", 1)[1])
    return original


@pytest.fixture(scope="module")
def nights(server_url, tools, tmp_path_factory):
    with webhook_receiver() as (webhook, received):
        broken = prepare(
            server_url,
            tmp_path_factory.mktemp("broken"),
            tools,
            key=secrets.token_hex(32),
            variables={"CHILD_WAREHOUSE_ALERT_WEBHOOK": webhook},
        )
        try:
            original = break_header(Path(broken.landing) / CHILD_FILE)
            broken.run("night", "--date", NIGHT_DATE)
            after_break = {
                "runs": broken.query("select province_code, outcome from ops.province_runs order by 1"),
                "rejected": broken.query(
                    "select province_code, file_name, reason_en from ledger.submissions "
                    "where status = 'rejected'"
                ),
                "loaded": broken.query("select submission_id, loaded_at from ledger.submissions order by 1"),
                "alerts": list(received),
                "marts": marts_snapshot(broken),
            }
            (Path(broken.landing) / CHILD_FILE).write_bytes(original)  # the province sends the file again
            broken.run("night", "--date", "2026-11-21")
            yield {"broken": broken, "after_break": after_break}
        finally:
            broken.drop()


def test_the_night_finishes_for_the_other_provinces(nights):
    runs = dict(nights["after_break"]["runs"])
    with (nights["broken"].truth / "expected_by_province.csv").open() as handle:
        provinces = {line.split(",")[0] for line in list(handle)[1:]}
    assert provinces <= runs.keys()  # (and the pre-reform provinces of the history reports)
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


def test_the_night_after_the_fix_loads_the_corrected_file_alone(nights):
    broken = nights["broken"]
    runs = broken.query(
        "select province_code, outcome from ops.province_runs where run_id = "
        "(select run_id from ops.province_runs order by finished_at desc limit 1)"
    )
    assert runs == [(BROKEN, "ok")], "the next night worked on that province alone"
    before = dict(nights["after_break"]["loaded"])
    after = dict(broken.query("select submission_id, loaded_at from ledger.submissions order by 1"))
    others = broken.query(
        "select submission_id from ledger.submissions where province_code <> %s", None, (BROKEN,)
    )
    assert all(after[sid] == before[sid] for (sid,) in others), "no other province's file was loaded again"
    # the rejected version stays in the ledger beside the fixed one: nothing lost, nothing counted twice
    versions = broken.query(
        "select status from ledger.submissions where file_name = %s order by version",
        None,
        (str(CHILD_FILE),),
    )
    assert [status for (status,) in versions] == ["rejected", "accepted"]


def test_the_corrected_file_gives_the_marts_of_a_clean_run(nights, night):
    fixed = marts_snapshot(nights["broken"], **SUBMISSION_HISTORY)
    expected = marts_snapshot(night, **SUBMISSION_HISTORY)
    assert fixed.keys() == expected.keys()
    for table in expected:
        assert fixed[table] == expected[table], table
    broken_marts = nights["after_break"]["marts"]["special_circumstances_by_province"]
    assert fixed["special_circumstances_by_province"] != broken_marts, "the broken night's marts lacked it"
