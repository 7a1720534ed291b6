"""Nights after a clean one: nothing new is counted twice, and a province reprocessed alone gives the
marts of a clean run. One more DAG run, on a copy of the run's clean night (slow tier)."""

from __future__ import annotations

import pytest

from nights import marts_snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PROVINCE = "01"


@pytest.fixture(scope="module")
def rerun(clean_night, tmp_path_factory):
    """A copy of the clean night; province 01's 2026 submissions marked for reloading; the next night."""
    from nights import clone

    warehouse = clone(clean_night, tmp_path_factory.mktemp("rerun"))
    try:
        before = {
            "marts": marts_snapshot(warehouse),
            "loaded": dict(warehouse.query("select submission_id, loaded_at from ledger.submissions")),
            "raw": warehouse.query("select count(*) from raw.child_records"),
        }
        warehouse.run("reprocess", "--province", PROVINCE, "--period", "2026-Q3", "--to", "2026-M10")
        warehouse.run("night", "--date", "2026-11-21")
        yield warehouse, before
    finally:
        warehouse.drop()


def test_a_second_night_counts_nothing_twice(rerun):
    warehouse, before = rerun
    after = dict(warehouse.query("select submission_id, loaded_at from ledger.submissions"))
    assert after.keys() == before["loaded"].keys(), "no file was recorded again"
    assert warehouse.query("select count(*) from raw.child_records") == before["raw"]
    untouched = warehouse.query(
        "select submission_id from ledger.submissions where province_code <> %s", None, (PROVINCE,)
    )
    assert all(after[sid] == before["loaded"][sid] for (sid,) in untouched), (
        "other provinces were not reloaded"
    )


def test_reprocessing_one_province_gives_the_marts_of_a_clean_run(rerun):
    warehouse, before = rerun
    assert marts_snapshot(warehouse) == before["marts"]
    submissions = warehouse.query(
        "select submission_id, loaded_at, status, util.period_end_date(period) "
        "between date '2026-09-30' and date '2026-10-31' from ledger.submissions "
        "where province_code = %s and period like '2026-%%'",
        None,
        (PROVINCE,),
    )
    # child records and cases of 2026-Q3 and the 9M report are in the range; the H1 programme
    # activities (ending in June) are not, and stay as the clean night loaded them
    assert sorted(in_range for *_, in_range in submissions) == [False, True, True, True]
    for submission_id, loaded_at, status, in_range in submissions:
        if not in_range:
            assert loaded_at == before["loaded"][submission_id], "a file outside the range was reloaded"
            continue
        assert loaded_at > before["loaded"][submission_id], "loaded again"
        assert status.startswith("accepted")
