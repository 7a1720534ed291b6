"""Probabilistic linkage on real PostgreSQL and DuckDB: records without IDs find their person,
and a reviewer's decision outlives reruns."""

import csv

import pytest

from child_warehouse.linkage.deterministic import link_submissions
from child_warehouse.linkage.probabilistic import chunks, link_probabilistically
from child_warehouse.linkage.register import COLUMNS as REGISTER_COLUMNS
from child_warehouse.linkage.register import refresh_features

REGISTER = [
    ("001215000001", "Nguyễn Văn An", "2015-03-05", "male", "00004"),
    ("001315000002", "Lê Thị Hòa", "2016-04-07", "female", "00004"),
    ("001315000003", "Trần Thị Bích Ngọc", "2014-11-20", "female", "00004"),
    ("001214000004", "Phạm Quốc Bảo", "2014-01-09", "male", "00004"),
    ("001216000005", "Huỳnh Minh Khôi", "2016-12-01", "male", "00004"),
]
# Records with no ID, written as offices write them: no diacritics, old tone placement, day/month
# swapped, swapped name order, Hoàng for Huỳnh.
RECORDS = [
    (2, "HN-1", "Nguyen Van An", "05/03/2015", "Nam"),
    (3, "HN-2", "Lê Thị Hoà", "07/04/2016", "Nữ"),
    (4, "HN-3", "Trần Thị Bích Ngọc", "20/11/2014", "Nữ"),
    (5, "HN-4", "Bảo Phạm Quốc", "09/01/2014", "Nam"),
    (6, "HN-5", "Hoàng Minh Khôi", "01/12/2016", "Nam"),
]


@pytest.fixture
def linked(db, warehouse_db, make_submission):
    with db, db.cursor() as cur:
        for person in REGISTER:
            cur.execute(
                """insert into register.persons (personal_id, full_name, date_of_birth, sex, commune_code)
                           values (%s, %s, %s, %s, %s)""",
                person,
            )
        refresh_features(cur)
    submission = make_submission(status="accepted")
    with db, db.cursor() as cur:
        for row, record_id, name, dob, sex in RECORDS:
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, full_name,
                           date_of_birth, sex, commune_code) values (%s, %s, %s, %s, %s, %s, '00004')""",
                (submission, row, record_id, name, dob, sex),
            )
    link_submissions([submission], warehouse_db)
    link_probabilistically([submission], warehouse_db)
    return submission


def _links(db):
    with db.cursor() as cur:
        cur.execute("select record_id, personal_id, method from links.child_links order by source_row")
        return cur.fetchall()


def _queue(db):
    with db.cursor() as cur:
        cur.execute("select record_id, candidate_personal_id from links.review_queue order by source_row")
        return cur.fetchall()


def test_records_without_ids_link_to_their_person_or_wait_for_review(db, linked):
    decided = {r[0]: r[1] for r in _links(db) if r[1]} | dict(_queue(db))
    assert decided == {
        "HN-1": "001215000001",
        "HN-2": "001315000002",
        "HN-3": "001315000003",
        "HN-4": "001214000004",
        "HN-5": "001216000005",
    }
    assert {m for _, pid, m in _links(db) if pid} <= {"probabilistic"}


def test_a_reviewers_decision_survives_a_rerun(db, warehouse_db, linked):
    with db, db.cursor() as cur:
        cur.execute("""insert into links.review_decisions (province_code, record_id, candidate_personal_id,
                       decision, decided_by) values ('01', 'HN-1', '001215000001', 'non_match', 'tester'),
                                                    ('01', 'HN-3', '001215000001', 'match', 'tester')""")
    for _ in range(2):  # the nightly relinks from scratch; the decisions still hold
        link_submissions([linked], warehouse_db)
        link_probabilistically([linked], warehouse_db)
    links = {record: (pid, method) for record, pid, method in _links(db)}
    assert links["HN-1"] == (None, "none")
    assert links["HN-3"] == ("001215000001", "clerical")


def test_pairs_completeness_counts_true_pairs_the_blocking_rules_reach(db, warehouse_db, linked):
    from child_warehouse.linkage.evaluate import measure, with_pairs_completeness

    truth = {
        ("01", record_id): person[0] for (_, record_id, *_), person in zip(RECORDS, REGISTER, strict=True)
    }
    accuracy = with_pairs_completeness(measure(truth, warehouse_db), truth, warehouse_db)
    assert (accuracy.true_pairs, accuracy.blocked_pairs) == (5, 5)
    # A record no blocking rule can reach: another name, another birth date, another commune.
    truth[("01", "HN-6")] = REGISTER[0][0]
    with db, db.cursor() as cur:
        cur.execute(
            """insert into raw.child_records (submission_id, source_row, record_id, full_name,
                       date_of_birth, sex, commune_code)
               values (%s, 7, 'HN-6', 'Đỗ Thị Mai', '02/02/2012', 'Nữ', '00007')""",
            (linked,),
        )
        cur.execute(
            """insert into links.child_links (submission_id, source_row, record_id, method, model_version)
               values (%s, 7, 'HN-6', 'none', 'test')""",
            (linked,),
        )
    accuracy = with_pairs_completeness(measure(truth, warehouse_db), truth, warehouse_db)
    assert (accuracy.true_pairs, accuracy.blocked_pairs) == (6, 5)
    assert accuracy.pairs_completeness == pytest.approx(5 / 6)


@pytest.fixture
def family(db, warehouse_db, make_submission):
    """A register child with its mother; the file holds the child (no ID), the same entry twice, and
    a twin the register lacks: same birth date, mother and commune, another given name."""
    with db, db.cursor() as cur:
        cur.execute(
            """insert into register.persons (personal_id, full_name, date_of_birth, sex, commune_code,
                                             mother_personal_id)
               values ('001188000009', 'Trần Thị Mai', '1988-02-02', 'female', '00004', null),
                      ('001215000011', 'Nguyễn Văn Minh', '2015-06-14', 'male', '00004', '001188000009')"""
        )
        refresh_features(cur)
    submission = make_submission(status="accepted")
    rows = [
        (2, "HN-11", "Nguyễn Văn Minh"),
        (3, "HN-12", "Nguyễn Văn Minh"),  # the same child entered twice
        (4, "HN-13", "Nguyễn Văn Đức"),  # the twin
    ]
    with db, db.cursor() as cur:
        for row, record_id, name in rows:
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, full_name,
                           date_of_birth, sex, commune_code, caregiver_name)
                   values (%s, %s, %s, %s, '14/06/2015', 'Nam', '00004', 'Trần Thị Mai')""",
                (submission, row, record_id, name),
            )
    link_submissions([submission], warehouse_db)
    link_probabilistically([submission], warehouse_db)
    return submission


def test_a_twin_the_register_lacks_goes_to_review_and_a_double_entry_keeps_its_link(db, family):
    links = {record: pid for record, pid, _ in _links(db)}
    assert links["HN-11"] == "001215000011"
    assert links["HN-12"] == "001215000011"  # the same name and birth date: one child, two entries
    assert links["HN-13"] is None  # the person is taken by a likelier record of the same file
    assert ("HN-13", "001215000011") in _queue(db)


def _resubmit(db, make_submission, submission: int, changed: dict[int, str] | None = None) -> int:
    """The file sent again as a new version: the same rows, with the names in `changed` (by row)."""
    again = make_submission(status="accepted")
    with db, db.cursor() as cur:
        cur.execute(
            """insert into raw.child_records (submission_id, source_row, record_id, full_name, date_of_birth,
                                              sex, commune_code, caregiver_name)
               select %s, source_row, record_id, full_name, date_of_birth, sex, commune_code, caregiver_name
               from raw.child_records where submission_id = %s""",
            (again, submission),
        )
        for row, name in (changed or {}).items():
            cur.execute(
                "update raw.child_records set full_name = %s where submission_id = %s and source_row = %s",
                (name, again, row),
            )
    return again


def _decided(db, submission: int) -> tuple[list, list]:
    with db, db.cursor() as cur:
        cur.execute(
            """select source_row, personal_id, method, match_probability from links.child_links
               where submission_id = %s order by source_row""",
            (submission,),
        )
        links = cur.fetchall()
        cur.execute(
            """select source_row, candidate_personal_id, match_probability from links.review_queue
               where submission_id = %s order by source_row""",
            (submission,),
        )
        return links, cur.fetchall()


def _relink(submission: int, warehouse_db: str, caplog) -> str:
    """Link the file again, by ID then probabilistically; the probabilistic step's log lines."""
    import logging

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="child_warehouse.linkage.probabilistic"):
        link_submissions([submission], warehouse_db)
        link_probabilistically([submission], warehouse_db)
    return caplog.text


def test_a_file_sent_again_keeps_the_decisions_its_unchanged_records_had(
    db, warehouse_db, make_submission, family, caplog
):
    """Records whose features were scored against this register extract with this model keep the
    decision they had, links and review queue alike (a contested claim is decided again, per file);
    a changed record is scored."""
    again = _resubmit(db, make_submission, family)
    said = _relink(again, warehouse_db, caplog)
    assert "(0 scored now, 3 decided before" in said
    assert "Scoring" not in said  # Splink did not run
    assert _decided(db, again) == _decided(db, family)
    assert ("HN-13", "001215000011") in _queue(db)  # the twin still goes to a reviewer

    changed = _resubmit(db, make_submission, family, {2: "Nguyễn Văn Minh Anh"})
    said = _relink(changed, warehouse_db, caplog)
    assert "(1 scored now, 2 decided before" in said
    assert "Scoring 1 records" in said


def test_a_new_register_extract_or_model_scores_every_record_again(
    db, warehouse_db, family, caplog, tmp_path
):
    """Decisions are kept for one register extract and one model with its thresholds: a reloaded
    extract, or another decision rule, scores every record again, with the same links here."""
    from child_warehouse.linkage import probabilistic
    from child_warehouse.linkage.register import load_register_extract

    before = _decided(db, family)
    # A new register extract (the same persons, reloaded): every record is scored again.
    with db, db.cursor() as cur:
        cur.execute(
            "select personal_id, full_name, date_of_birth, sex, commune_code, mother_personal_id "
            "from register.persons"
        )
        persons = cur.fetchall()
    extract = tmp_path / "persons.csv"
    with extract.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REGISTER_COLUMNS)
        for pid, name, dob, sex, commune, mother in persons:
            writer.writerow([pid, name, dob, sex, "", "", commune, mother or "", "", "", ""])
    load_register_extract(extract, warehouse_db)
    assert "(3 scored now, 0 decided before" in _relink(family, warehouse_db, caplog)
    assert _decided(db, family) == before
    with db, db.cursor() as cur:  # only the new extract's decisions, one per features (HN-11 = HN-12)
        cur.execute("select count(distinct extract_id), count(*) from links.scored_features")
        assert cur.fetchone() == (1, 2)

    # Another model or threshold (here the decision's SQL, changed in form only): scored again.
    decision_sql = probabilistic.best_candidates_sql()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(probabilistic, "best_candidates_sql", lambda: decision_sql + " ")
        said = _relink(family, warehouse_db, caplog)
    assert "(3 scored now, 0 decided before" in said
    assert _decided(db, family) == before


def test_the_evaluation_counts_a_linked_stranger_as_a_wrong_link(family, warehouse_db):
    from child_warehouse.linkage.evaluate import measure

    truth = {("01", "HN-11"): "001215000011", ("01", "HN-12"): "001215000011", ("01", "HN-13"): ""}
    faults = {("01", "HN-13"): {"stranger_twin"}, ("01", "HN-12"): {"duplicate_in_province"}}
    accuracy = measure(truth, warehouse_db, faults)
    assert (accuracy.overall.records, accuracy.overall.strangers) == (2, 1)
    assert accuracy.overall.recall == 1.0
    twin = accuracy.by_fault["stranger_twin"]
    assert (twin.strangers, twin.strangers_linked, twin.strangers_in_review) == (1, 0, 1)
    with warehouse_db_connection(warehouse_db) as conn, conn.cursor() as cur:
        cur.execute("update links.child_links set personal_id = '001215000011' where record_id = 'HN-13'")
    accuracy = measure(truth, warehouse_db, faults)
    assert accuracy.by_fault["stranger_twin"].strangers_linked == 1
    assert accuracy.precision == pytest.approx(2 / 3)


def warehouse_db_connection(url):
    from child_warehouse.db.connection import transaction

    return transaction(url)


def test_records_scored_in_slices_link_as_when_scored_at_once(db, warehouse_db, linked, monkeypatch, caplog):
    """Splink's chunked prediction scores every pair once whatever the slices: one record a slice
    here (five slices) gives the same links, methods and review queue as the fixture's two slices."""
    import logging

    at_once = (_links(db), _queue(db))
    monkeypatch.setenv("CHILD_WAREHOUSE_LINKAGE_CHUNK_RECORDS", "1")
    with db, db.cursor() as cur:  # or the rerun keeps the decisions already made for these features
        cur.execute("truncate links.scored_features")
    with caplog.at_level(logging.INFO, logger="child_warehouse.linkage.probabilistic"):
        link_submissions([linked], warehouse_db)
        link_probabilistically([linked], warehouse_db)
    assert "Scoring 5 records in 5 slices" in caplog.text
    assert (_links(db), _queue(db)) == at_once


@pytest.mark.parametrize(
    ("records", "persons", "slices"),
    [
        (3, 100, 2),  # never fewer than two
        (150_000, 310_000, 2),  # 250k children (a 1M-person extract)
        (600_450, 1_243_463, 4),  # 1M children (4M): 200,000 records a slice
        (2_418_397, 4_973_028, 49),  # 4M children (16M): a quarter as many records a slice
        (600_000, 5_000_000, 12),  # four times the persons, four times the slices
    ],
)
def test_a_larger_register_makes_smaller_slices(records, persons, slices, monkeypatch):
    """The blocking is national: a slice's candidate pairs grow with its records times the register's
    persons, so the slices shrink as the register grows and each slice's pairs stay bounded."""
    monkeypatch.delenv("CHILD_WAREHOUSE_LINKAGE_CHUNK_RECORDS", raising=False)
    assert chunks(records, persons) == slices
    per_slice = -(-records // slices)
    assert per_slice * persons <= 200_000 * 1_250_000 * 1.01 or slices == 2
