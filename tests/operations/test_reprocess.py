"""Reprocessing sets exactly the province's submissions in range back to pending."""

from child_warehouse.operations.reprocess import mark_for_reprocessing, plan, provinces_for_run


def _ledger(make_submission):
    return {
        "q3": make_submission(province="01", period="2026-Q3", status="accepted"),
        "m10": make_submission("protection_cases", province="01", period="2026-M10", status="accepted"),
        "m12": make_submission("protection_cases", province="01", period="2026-M12", status="rejected"),
        "other": make_submission(province="79", period="2026-Q3", status="accepted"),
    }


def _statuses(db):
    with db.cursor() as cur:
        cur.execute("select submission_id, status from ledger.submissions")
        return dict(cur.fetchall())


def test_plan_covers_the_range_by_period_end_and_nothing_else(db, warehouse_db, make_submission):
    ids = _ledger(make_submission)
    planned = plan("01", "2026-Q3", "2026-M10", url=warehouse_db)
    assert [p.submission_id for p in planned] == [ids["q3"], ids["m10"]]
    assert _statuses(db)[ids["q3"]] == "accepted"  # planning changes nothing


def test_marking_sets_back_to_pending(db, warehouse_db, make_submission):
    ids = _ledger(make_submission)
    assert mark_for_reprocessing(plan("01", "2026-M12", url=warehouse_db), warehouse_db) == 1
    statuses = _statuses(db)
    assert statuses[ids["m12"]] == "discovered"
    assert statuses[ids["q3"]] == statuses[ids["other"]] == "accepted"


def test_a_run_naming_a_province_works_on_it_alone_and_a_dry_run_on_nothing(
    db, warehouse_db, make_submission
):
    ids = _ledger(make_submission)
    dry = {"province_code": "01", "period_from": "2026-Q3", "dry_run": True}
    assert provinces_for_run(["79"], dry, warehouse_db) == []
    assert _statuses(db)[ids["q3"]] == "accepted"
    assert provinces_for_run(["79"], {**dry, "dry_run": False}, warehouse_db) == ["01"]
    assert _statuses(db)[ids["q3"]] == "discovered"
    assert provinces_for_run(["79"], {}, warehouse_db) == ["79"]
