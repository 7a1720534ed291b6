"""Chaos: the whole night killed with SIGKILL in the middle of validation (the command, the Airflow
scheduler, its task processes and every other component at once, as a power cut would), then run
again. Every file must end in a final state exactly once, no raw row lost or doubled, links and the
marts equal to a clean night's.

The fast tier's chaos case; the others are in test_chaos.py (`make chaos`)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from faults import (
    kill_everything,
    ledger_state,
    links_state,
    losses,
    record,
    review_state,
    start_night,
    statuses,
    wait_for,
)
from nights import CLEAN_NIGHT, NARROW_PROVINCES, NIGHT_DATE, marts_snapshot, night_key, prepare

# A group of its own: its night (killed, then run again) needs only the clean night's pseudonym key,
# so it runs on another worker while the clean night is built, and waits for that night only to
# compare the two.
pytestmark = [pytest.mark.e2e, pytest.mark.chaos, pytest.mark.xdist_group("chaos-kill-night")]


@pytest.fixture(scope="module")
def killed_then_rerun(request, server_url, tools, shared_folder, tmp_path_factory):
    key = night_key(shared_folder, CLEAN_NIGHT)
    warehouse = prepare(
        server_url, tmp_path_factory.mktemp("killed"), tools, key=key, provinces=NARROW_PROVINCES
    )
    try:
        night = start_night(warehouse, "--date", NIGHT_DATE)

        def validating() -> bool:
            found = statuses(warehouse)
            concluded = sum(n for s, n in found.items() if s.startswith("accepted") or s == "rejected")
            return concluded >= 1 and found.get("loaded", 0) + found.get("discovered", 0) >= 1

        wait_for("validation under way", validating, night, timeout=600)
        at_kill = statuses(warehouse)
        killed = kill_everything(night)
        start = time.monotonic()
        rerun = warehouse.run("night", "--date", NIGHT_DATE)
        recovery = time.monotonic() - start
        left = statuses(warehouse)
        lost, doubled = losses(warehouse, request.getfixturevalue("clean_night"))
        record(
            "kill-night-validating",
            "whole night SIGKILLed during validation (command, scheduler, tasks: "
            f"{killed} processes; ledger {at_kill}), then `night` again for the same date",
            "the night's run is taken up again; every file final once; marts equal a clean night's",
            f"rerun ended `{'success' if 'success' in rerun.stdout else rerun.stdout.strip()[-60:]}`, "
            f"ledger {left}",
            recovery,
            lost=lost,
            doubled=doubled,
        )
        yield warehouse, at_kill, rerun
    finally:
        warehouse.drop()


def test_the_kill_struck_in_the_middle_of_validation(killed_then_rerun):
    _, at_kill, _ = killed_then_rerun
    assert at_kill.get("loaded", 0) + at_kill.get("discovered", 0) >= 1


def test_every_file_ends_once_in_a_final_state_with_its_rows_once(killed_then_rerun, clean_night):
    warehouse, _, _ = killed_then_rerun
    assert ledger_state(warehouse) == ledger_state(clean_night)
    assert set(statuses(warehouse)) <= {"accepted", "accepted_with_warnings", "rejected"}


def test_links_and_the_review_queue_equal_a_clean_nights(killed_then_rerun, clean_night):
    warehouse, _, _ = killed_then_rerun
    assert links_state(warehouse) == links_state(clean_night)
    assert review_state(warehouse) == review_state(clean_night)


def test_the_marts_equal_a_clean_nights(killed_then_rerun, clean_night):
    warehouse, _, _ = killed_then_rerun
    assert marts_snapshot(warehouse) == marts_snapshot(clean_night)


def test_the_rerun_reports_the_files_it_finished(killed_then_rerun):
    warehouse, _, _ = killed_then_rerun
    report = warehouse.run("report", "last-run").stdout
    assert "No run recorded yet" not in report
    stuck = warehouse.query(
        "select count(*) from ledger.submissions where status in ('loaded', 'discovered')"
    )
    assert stuck == [(0,)]


def test_every_province_and_period_got_its_feedback_workbook(killed_then_rerun, clean_night):
    warehouse, _, _ = killed_then_rerun

    def workbooks(night) -> list[str]:
        return sorted(path.name for path in (Path(night.root) / "local" / "feedback").rglob("*.xlsx"))

    assert workbooks(warehouse) == workbooks(clean_night)
    assert len(workbooks(warehouse)) >= 8
