"""Memoised expectation configurations (validation/memo.py) change nothing Great Expectations finds."""

from __future__ import annotations

import csv
import io
from contextlib import closing, nullcontext

import pytest

from child_warehouse.db import connection, template
from child_warehouse.db.connection import connect
from child_warehouse.ingest.stage import load_province
from child_warehouse.sources.discover import discover_submissions
from child_warehouse.synth import generate_sample
from child_warehouse.validation import runner
from child_warehouse.validation.memo import memoised_configurations
from nights import database_name


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, server_url):
    """A warehouse of its own with the sample's files of Hà Nội and the hotline loaded (two rows of each
    spoilt), not validated."""
    folder = tmp_path_factory.mktemp("memo")
    generate_sample(folder / "landing", folder / "register", folder / "truth", provinces=["01"])
    for path in (folder / "landing").rglob("*.csv"):  # two rows a file spoilt, so that rules fail
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        rows += [[f"x-{n}"] for n in range(3 - len(rows))]  # a nil return gets two rows
        for row in rows[1:3]:  # the commune kept (a file of other communes is refused whole)
            row[1:] = ["00004" if name == "commune_code" else "??" for name in rows[0][1:]]
        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)
    template.ensure_template(server_url)
    name = database_name("memo")
    url = template.create_database(name, server_url)
    try:
        for province in discover_submissions("memo-test", str(folder / "landing"), url):
            load_province(province, "memo-test", url)
        with closing(connect(url)) as conn, conn.cursor() as cur:
            cur.execute(
                "select submission_id, submission_type from ledger.submissions where status = 'loaded'"
            )
            submissions = cur.fetchall()
        yield url, submissions
    finally:
        connection.drop_database(name, server_url)


def test_every_suite_finds_the_same_with_and_without_the_memo(loaded, monkeypatch):
    url, submissions = loaded
    assert {submission_type for _, submission_type in submissions} == {
        "child_records",
        "protection_cases",
        "indicator_report",
        "commune_assessment",
        "programme_activities",
        "hotline_calls",
    }

    def found(memo) -> dict:
        monkeypatch.setattr(runner, "memoised_configurations", memo)
        suites = runner.SuiteRunner(url)
        with closing(connect(url)) as conn:
            return {sid: suites.outcomes(conn, sid, kind) for sid, kind in submissions}

    with_memo, without = found(memoised_configurations), found(nullcontext)
    assert with_memo == without
    assert {kind for sid, kind in submissions if any(o.failing for o in without[sid])} == {
        kind for _, kind in submissions
    }, "every suite has failing rules, so their results are compared too"


def test_the_memo_is_gone_after_the_validation_and_forgets_an_expectation_changed_in_it():
    from great_expectations.expectations import ExpectColumnValuesToNotBeNull
    from great_expectations.expectations.expectation import Expectation

    built, assign = Expectation.__dict__["configuration"], Expectation.__setattr__
    expectation = ExpectColumnValuesToNotBeNull(column="sex")
    with memoised_configurations():
        first = expectation.configuration
        assert expectation.configuration is first
        expectation.column = "date_of_birth"
        assert expectation.configuration.kwargs["column"] == "date_of_birth"
    assert Expectation.__dict__["configuration"] is built
    assert Expectation.__setattr__ is assign
    assert "__setattr__" not in Expectation.__dict__
    assert expectation.configuration is not expectation.configuration  # built afresh again, as GX does
