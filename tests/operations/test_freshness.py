"""The 06:00 deadline: marts published since the night's 01:30 start are fresh; stale ones are alerted."""

import datetime as dt

import pendulum

from child_warehouse.operations.freshness import check, deadline_cron, is_fresh, night_start

VN = "Asia/Ho_Chi_Minh"
DEADLINE = pendulum.datetime(2026, 11, 23, 6, 0, tz=VN)


def test_the_night_of_a_deadline_starts_at_0130_the_same_morning():
    assert night_start(DEADLINE) == pendulum.datetime(2026, 11, 23, 1, 30, tz=VN)
    assert night_start(pendulum.datetime(2026, 11, 23, 0, 45, tz=VN)) == pendulum.datetime(
        2026, 11, 22, 1, 30, tz=VN
    )


def test_fresh_means_published_since_the_nights_start():
    assert is_fresh(pendulum.datetime(2026, 11, 23, 3, 10, tz=VN), DEADLINE)
    assert not is_fresh(pendulum.datetime(2026, 11, 22, 3, 10, tz=VN), DEADLINE)
    assert not is_fresh(None, DEADLINE)


def test_the_deadline_is_a_setting(monkeypatch):
    assert deadline_cron() == "0 6 * * *"
    monkeypatch.setenv("CHILD_WAREHOUSE_MARTS_DEADLINE", "05:45")
    assert deadline_cron() == "45 5 * * *"


def test_stale_marts_are_alerted_to_the_webhook_and_fresh_ones_are_not(
    db, warehouse_db, receiver, monkeypatch
):
    url, received = receiver
    monkeypatch.setenv("CHILD_WAREHOUSE_ALERT_WEBHOOK", url)
    monkeypatch.setenv("CHILD_WAREHOUSE_DB_URL", warehouse_db)
    with db, db.cursor() as cur:
        cur.execute(
            """insert into ops.province_runs (run_id, province_code, finished_at, outcome)
               values ('scheduled__2026-11-21', '79', '2026-11-21T20:05:00+00', 'needs_attention')"""
        )
    assert check(pendulum.datetime(2026, 11, 23, 2, 50, tz=VN), DEADLINE, "r1")["fresh"] is True
    assert received == []
    found = check(pendulum.datetime(2026, 11, 22, 3, 5, tz=VN), DEADLINE, "r2")
    assert found == {
        "fresh": False,
        "night_start": "2026-11-23T01:30:00+07:00",
        "last_published": "2026-11-22T03:05:00+07:00",
        "alerted": True,
    }
    (alert,) = received
    assert alert["kind"] == "deadline"
    assert alert["reason"] == (
        "marts not fresh by 06:00 Asia/Ho_Chi_Minh: last published 2026-11-22 03:05; "
        "latest run scheduled__2026-11-21 finished 2026-11-22 03:05, 1 province(s) need attention"
    )
    assert check(None, dt.datetime(2026, 11, 23, tzinfo=dt.UTC), "r3")["alerted"] is True
