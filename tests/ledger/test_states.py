"""Every state a submission can be in is reached through a named transition, and no other move is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from child_warehouse import ledger
from child_warehouse.contract.reasons import Reason
from child_warehouse.ledger import IllegalTransition, Status
from child_warehouse.ledger.states import TRANSITIONS, check

REASON = Reason("test", "lý do", "reason")


@dataclass(frozen=True)
class Found:
    relative_path: str
    uri: str = "file:///landing/01/2026-Q3/child_records.csv"
    size_bytes: int = 10
    sha256: str = "a" * 64
    arrived_at: dt.datetime = dt.datetime(2026, 10, 10, tzinfo=dt.UTC)
    province_code: str | None = "01"
    period: str | None = "2026-Q3"
    submission_type: str | None = "child_records"
    problem: Reason | None = None


def _status(db, submission_id: int) -> Status:
    with db.cursor() as cur:
        cur.execute("select status from ledger.submissions where submission_id = %s", (submission_id,))
        return Status(cur.fetchone()[0])


def _discover(db, found: Found) -> int:
    with db:
        ledger.record_landed_files(db, [found], "run-1")
    with db.cursor() as cur:
        cur.execute("select max(submission_id) from ledger.submissions")
        return cur.fetchone()[0]


def test_each_transition_moves_a_file_and_every_state_is_reached(db):
    seen = set()
    submission = _discover(db, Found("01/2026-Q3/child_records.csv"))

    def verdict(status: Status, reason: Reason | None = None):
        return lambda: ledger.record_verdict(
            db, submission, status, reason, rows_with_errors=0, rows_with_warnings=0
        )

    steps = [
        (lambda: ledger.record_load(db, submission, 5, "run-1"), Status.LOADED),
        (verdict(Status.ACCEPTED), Status.ACCEPTED),
        (lambda: ledger.reopen(db, [submission]), Status.DISCOVERED),
        (lambda: ledger.record_load_failure(db, submission, REASON, "run-2"), Status.LOAD_FAILED),
        (lambda: ledger.record_load(db, submission, 5, "run-3"), Status.LOADED),
        (verdict(Status.ACCEPTED_WITH_WARNINGS), Status.ACCEPTED_WITH_WARNINGS),
        (lambda: ledger.reopen(db, [submission]), Status.DISCOVERED),
        (lambda: ledger.record_load(db, submission, 5, "run-4"), Status.LOADED),
        (verdict(Status.REJECTED, REASON), Status.REJECTED),
        (lambda: ledger.reopen(db, [submission]), Status.DISCOVERED),
        (lambda: ledger.record_refusal(db, submission, REASON, "run-5"), Status.REJECTED),
    ]  # fmt: skip
    seen.add(_status(db, submission))
    for move, expected in steps:
        with db:
            move()
        assert _status(db, submission) == expected
        seen.add(expected)
    refused_on_its_path = _discover(db, Found("01/x.csv", sha256="b" * 64, problem=REASON))
    assert _status(db, refused_on_its_path) == Status.REJECTED
    assert seen == set(Status)


@pytest.mark.parametrize(
    ("move", "from_status"),
    [
        ("verdict before loading", Status.DISCOVERED),
        ("loading what is accepted", Status.ACCEPTED),
        ("refusing what is loaded", Status.LOADED),
        ("failing a load that is over", Status.REJECTED),
    ],
)
def test_a_move_its_state_does_not_allow_is_refused_and_changes_nothing(db, move, from_status):
    submission = _discover(db, Found("01/2026-Q3/child_records.csv"))
    with db:
        if from_status != Status.DISCOVERED:
            ledger.record_load(db, submission, 5, "run-1")
        if from_status in (Status.ACCEPTED, Status.REJECTED):
            ledger.record_verdict(
                db, submission, from_status, REASON, rows_with_errors=0, rows_with_warnings=0
            )
    attempts = {
        "verdict before loading": lambda: ledger.record_verdict(
            db, submission, Status.ACCEPTED, None, rows_with_errors=0, rows_with_warnings=0
        ),
        "loading what is accepted": lambda: ledger.record_load(db, submission, 5, "run-2"),
        "refusing what is loaded": lambda: ledger.record_refusal(db, submission, REASON, "run-2"),
        "failing a load that is over": lambda: ledger.record_load_failure(db, submission, REASON, "run-2"),
    }
    with pytest.raises(IllegalTransition, match=str(from_status)), db:
        attempts[move]()
    assert _status(db, submission) == from_status


def test_reopening_leaves_files_already_waiting_as_they_are(db):
    waiting = _discover(db, Found("01/2026-Q3/child_records.csv"))
    with db:
        assert ledger.reopen(db, [waiting]) == 0
    assert _status(db, waiting) == Status.DISCOVERED


def test_the_transition_table_names_every_state_and_checks_targets():
    reachable = {target for t in TRANSITIONS.values() for target in t.targets}
    assert reachable == set(Status)
    check("conclude", Status.LOADED, Status.REJECTED)
    with pytest.raises(IllegalTransition):
        check("conclude", Status.LOADED, Status.DISCOVERED)
