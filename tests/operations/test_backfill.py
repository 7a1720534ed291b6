"""Backfill helpers: which archive files belong to which year, the nightly pause, the progress table."""

import datetime as dt

import pytest

from child_warehouse.operations.backfill import (
    discover_history,
    in_pause,
    in_years,
    progress,
    progress_table,
    year_of,
    years_in_archive,
)


def test_a_files_year_comes_from_its_period_folder():
    assert year_of("01/2018-Q4/child_records.csv") == 2018
    assert year_of("79/2025-M07/protection_cases.json") == 2025
    assert year_of("79/child_records.csv") is None
    assert year_of("79/latest/child_records.csv") is None
    keep = in_years(2019, 2020)
    assert [keep("01/2018-Y/x.csv"), keep("01/2019-Y/x.csv"), keep("01/2020-H1/x.csv")] == [False, True, True]


@pytest.mark.parametrize(
    ("utc", "paused"),
    [
        ("2026-11-22T17:59:00", False),  # 00:59 in Vietnam
        ("2026-11-22T18:00:00", True),  # 01:00: the nightly load is about to start
        ("2026-11-22T22:59:00", True),  # 05:59
        ("2026-11-22T23:00:00", False),  # 06:00: the marts are due, backfills may go on
    ],
)
def test_backfills_wait_while_the_nightly_load_runs(utc, paused):
    now = dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    assert in_pause(now, "01:00-06:00") is paused
    assert in_pause(now, None) is False


def test_a_window_may_wrap_midnight():
    late = dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.UTC)  # 23:30 in Vietnam
    assert in_pause(late, "23:00-02:00")
    assert not in_pause(late, "01:00-06:00")


def test_the_archive_is_counted_per_year_without_reading_files(tmp_path):
    for path in ("01/2018-Q4/child_records.csv", "01/2019-Q4/child_records.csv", "02/2019-M01/x.csv"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("record_id\n")
    (tmp_path / "stray.csv").write_text("x\n")
    assert years_in_archive(tmp_path, 2018, 2025) == {2018: 1, 2019: 2}
    assert years_in_archive(tmp_path, 2019, 2019) == {2019: 2}


def test_discovery_records_only_the_years_asked_and_progress_shows_each_period(db, warehouse_db, tmp_path):
    for path in (
        "01/2022-Q2/child_records.csv",
        "01/2022-Q4/child_records.csv",
        "01/2023-Q2/child_records.csv",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(f"record_id\n{path}\n")
    assert discover_history("backfill-1", 2022, 2022, str(tmp_path), warehouse_db) == ["01"]
    rows = progress(2022, 2023, warehouse_db)
    assert [(period, files, pending) for period, files, _, _, pending, _, _ in rows] == [
        ("2022-Q2", 1, 1),
        ("2022-Q4", 1, 1),
    ]
    table = progress_table(rows)
    assert table.splitlines()[0].split() == [
        "period",
        "files",
        "accepted",
        "rejected",
        "pending",
        "provinces",
        "rows",
    ]
    assert progress_table([]) == "No submissions in those years."
