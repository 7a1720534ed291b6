"""Provinces' sign-offs (approval.json, contract §7): approved, refused with a reason, withdrawn by a
resubmission, replaced by a newer one; found by discovery and shown in the province's feedback."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from child_warehouse.contract.landed import LandedApproval
from child_warehouse.ledger import signoffs

NOW = dt.datetime(2026, 10, 14, 9, 0, tzinfo=dt.UTC)


def _file(db, *, kind="child_records", version=1, status="accepted", sha=None, minutes=0) -> str:
    sha = sha or hashlib.sha256(f"{kind}-{version}-{status}".encode()).hexdigest()
    with db, db.cursor() as cur:
        cur.execute(
            """insert into ledger.submissions (province_code, period, submission_type, file_uri, file_name,
                   size_bytes, sha256, arrived_at, version, status, reason_vi, reason_en)
               values ('66', '2026-Q3', %s, 'file:///l/66/2026-Q3/x', %s, 1, %s, %s, %s, %s, %s, %s)""",
            (kind, f"{kind}.csv", sha, NOW + dt.timedelta(minutes=minutes), version, status,
             *(("Thiếu cột", "Missing columns") if status == "rejected" else (None, None))),
        )  # fmt: skip
    return sha


def _approval(named: dict[str, str], *, minutes=10, period="2026-Q3", **overrides) -> LandedApproval:
    body = {
        "province_code": "66",
        "period": period,
        "approved_by": "Nguyễn Thị Lan, Phó Giám đốc Sở Y tế",
        "approved_at": "2026-10-14T16:00:00+07:00",
        "files": {name: {"sha256": sha} for name, sha in named.items()},
        **overrides,
    }
    content = json.dumps(body, ensure_ascii=False).encode()
    return LandedApproval(
        relative_path=f"66/{period}/approval.json",
        uri=f"file:///l/66/{period}/approval.json",
        sha256=hashlib.sha256(content).hexdigest(),
        arrived_at=NOW + dt.timedelta(minutes=minutes),
        province_code="66",
        period=period,
        content=content,
    )


def _states(db) -> list[tuple]:
    with db, db.cursor() as cur:
        cur.execute("select status, reason_code from ledger.signoffs order by signoff_id")
        return cur.fetchall()


def _record_and_settle(db, *approvals: LandedApproval) -> dict:
    with db:
        signoffs.record_approvals(db, approvals, "run-1")
        return signoffs.settle(db)


def test_a_sign_off_of_accepted_current_files_is_approved_and_names_them(db):
    child = _file(db)
    report = _file(db, kind="indicator_report", status="accepted_with_warnings")
    approval = _approval({"child_records.csv": child, "indicator_report.xlsx": report})
    assert _record_and_settle(db, approval) == {"approved": 1}
    with db, db.cursor() as cur:
        cur.execute("select status, approved_by, array_length(submission_ids, 1) from ledger.signoffs")
        assert cur.fetchall() == [("approved", "Nguyễn Thị Lan, Phó Giám đốc Sở Y tế", 2)]


def test_a_sign_off_waits_for_a_file_not_yet_validated_then_is_decided(db):
    child = _file(db, status="loaded")
    assert _record_and_settle(db, _approval({"child_records.csv": child})) == {}
    assert _states(db) == [("received", None)]
    with db, db.cursor() as cur:
        cur.execute("update ledger.submissions set status = 'accepted'")
    with db:
        assert signoffs.settle(db) == {"approved": 1}


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"child_records.csv": "0" * 64}, "signoff_contents_not_held"),
        ({"protection_cases.csv": "rejected"}, "signoff_rejected_file"),
        ({}, "signoff_no_files"),
    ],
)
def test_a_sign_off_naming_contents_not_held_or_rejected_is_refused(db, files, code):
    rejected = _file(db, kind="protection_cases", status="rejected")
    files = {name: rejected if sha == "rejected" else sha for name, sha in files.items()}
    _record_and_settle(db, _approval(files))
    assert _states(db) == [("refused", code)]
    with db, db.cursor() as cur:
        cur.execute("select reason_vi, reason_en from ledger.signoffs")
        vi, en = cur.fetchone()
    assert "approval.json" in vi
    assert "approval.json" in en


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"province_code": "79"}, "signoff_wrong_place"),
        ({"approved_at": "yesterday"}, "signoff_unreadable"),
        ({"approved_by": ""}, "signoff_unreadable"),
        ({"files": {"[x](javascript:alert(1)).csv": {"sha256": "1" * 64}}}, "signoff_unreadable"),
    ],
)
def test_a_malformed_sign_off_is_refused_when_recorded(db, overrides, code):
    _file(db)
    _record_and_settle(db, _approval({"child_records.csv": "1" * 64}, **overrides))
    assert _states(db) == [("refused", code)]


def test_a_resubmission_of_an_approved_type_withdraws_the_sign_off(db):
    child = _file(db)
    _record_and_settle(db, _approval({"child_records.csv": child}))
    assert _states(db) == [("approved", None)]
    _file(db, version=2, status="discovered", minutes=60)  # the province sends child_records again
    with db:
        assert signoffs.settle(db) == {"withdrawn": 1}
    with db, db.cursor() as cur:
        cur.execute(
            "select s.version from ledger.signoffs as o "
            "join ledger.submissions as s on s.submission_id = o.withdrawn_by"
        )
        assert cur.fetchone() == (2,)
    # a new approval.json for the new version is approved, and the withdrawn one stays withdrawn
    with db, db.cursor() as cur:
        cur.execute("update ledger.submissions set status = 'accepted' where version = 2 returning sha256")
        second = cur.fetchone()[0]
    _record_and_settle(db, _approval({"child_records.csv": second}, minutes=90))
    assert _states(db) == [("withdrawn", "signoff_withdrawn"), ("approved", None)]


def test_a_sign_off_of_a_version_already_replaced_is_refused(db):
    first = _file(db)
    _file(db, version=2, minutes=5)
    _record_and_settle(db, _approval({"child_records.csv": first}, minutes=30))
    assert _states(db) == [("refused", "signoff_older_version")]


def test_a_newer_approval_supersedes_the_open_one(db):
    child = _file(db)
    _record_and_settle(db, _approval({"child_records.csv": child}))
    newer = _approval({"child_records.csv": child}, minutes=20, approved_by="Trần Văn Minh")
    _record_and_settle(db, newer)
    assert _states(db) == [("superseded", "signoff_superseded"), ("approved", None)]


def test_the_same_approval_bytes_again_are_not_recorded_twice(db):
    child = _file(db)
    approval = _approval({"child_records.csv": child})
    _record_and_settle(db, approval)
    with db:
        assert signoffs.record_approvals(db, [approval], "run-2") == 0


def test_discovery_reads_approval_json_beside_the_files_and_feedback_shows_a_refusal(
    db, warehouse_db, tmp_path, monkeypatch
):
    from child_warehouse.feedback.report import SUMMARY_SHEET, write_feedback_for_run
    from child_warehouse.sources.discover import discover_submissions

    monkeypatch.setenv("CHILD_WAREHOUSE_SETTLE_SECONDS", "0")
    folder = tmp_path / "landing" / "66" / "2026-Q3"
    folder.mkdir(parents=True)
    (folder / "child_records.csv").write_text("record_id;full_name\n", encoding="utf-8")
    body = {
        "province_code": "66",
        "period": "2026-Q3",
        "approved_by": "Nguyễn Thị Lan",
        "approved_at": "2026-10-14T16:00:00+07:00",
        "files": {"child_records.csv": {"sha256": "ab" * 32}},
    }
    (folder / "approval.json").write_text(json.dumps(body), encoding="utf-8")
    past = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (past, past))
    discover_submissions("run-1", str(tmp_path / "landing"), warehouse_db)
    with db, db.cursor() as cur:
        cur.execute("select file_name from ledger.submissions")
        assert cur.fetchall() == [("66/2026-Q3/child_records.csv",)]  # approval.json is no submission
    assert _states(db) == [("refused", "signoff_contents_not_held")]
    written = write_feedback_for_run("run-1", tmp_path / "feedback", warehouse_db)
    sheet = load_workbook(Path(written[0]), read_only=True)[SUMMARY_SHEET]
    lines = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == "approval.json"]
    assert len(lines) == 1
    assert "Sign-off refused" in lines[0][2]
    assert "Nguyễn Thị Lan" in lines[0][7]
    assert "holds no file of the province" in lines[0][8]
