"""Deterministic linkage: the ID links when the register's person agrees; otherwise it is flagged."""

from child_warehouse.linkage.deterministic import link_submissions


def _setup(db, make_submission):
    with db, db.cursor() as cur:
        cur.execute("""insert into register.persons (personal_id, full_name, date_of_birth, sex)
                       values ('001215000001', 'Nguyễn Văn An', '2015-03-05', 'male'),
                              ('001315000002', 'Lê Thị Bình', '2015-04-07', 'female')""")
    submission_id = make_submission(status="accepted")
    with db, db.cursor() as cur:
        rows = [
            (2, "a", "001215000001", "05/03/2015", "Nam"),  # agrees
            (3, "b", "001315000002", "04/07/2015", "Nữ"),  # day and month swapped: still agrees
            (4, "c", "001215000001", "06/03/2015", "Nam"),  # birth date disagrees
            (5, "d", "001315000002", "07/04/2015", "Nam"),  # sex disagrees
            (6, "e", "0012150000", "05/03/2015", "Nam"),  # malformed
            (7, "f", None, "05/03/2015", "Nam"),  # no ID
            (8, "g", "001215999999", "05/03/2015", "Nam"),  # not in the register
        ]
        for row in rows:
            cur.execute(
                """insert into raw.child_records (submission_id, source_row, record_id, personal_id,
                           date_of_birth, sex) values (%s, %s, %s, %s, %s, %s)""",
                (submission_id, *row),
            )
    return submission_id


def test_links_and_flags(db, warehouse_db, make_submission):
    submission = _setup(db, make_submission)
    assert link_submissions([submission], warehouse_db) == {"records_linked": 2, "records_unlinked": 5}
    with db.cursor() as cur:
        cur.execute("select record_id, personal_id, method, flags from links.child_links order by source_row")
        assert cur.fetchall() == [
            ("a", "001215000001", "deterministic_id", []),
            ("b", "001315000002", "deterministic_id", []),
            ("c", None, "none", ["birth_date_disagrees"]),
            ("d", None, "none", ["sex_disagrees"]),
            ("e", None, "none", ["malformed_id"]),
            ("f", None, "none", ["no_id"]),
            ("g", None, "none", ["id_not_in_register"]),
        ]


def test_relinking_replaces_rather_than_duplicates(db, warehouse_db, make_submission):
    submission = _setup(db, make_submission)
    link_submissions([submission], warehouse_db)
    link_submissions([submission], warehouse_db)
    with db.cursor() as cur:
        cur.execute("select count(*) from links.child_links")
        assert cur.fetchone()[0] == 7


def test_a_register_person_with_no_birth_date_or_sex_sent_is_not_linked(db, warehouse_db, make_submission):
    submission = _setup(db, make_submission)
    with db, db.cursor() as cur:
        cur.execute(
            """insert into raw.child_records (submission_id, source_row, record_id, personal_id,
                       date_of_birth, sex)
               values (%(s)s, 9, 'h', '001215000001', null, 'Nam'),
                      (%(s)s, 10, 'i', '001215000001', '05/03/2015', null),
                      (%(s)s, 11, 'j', ' 0012 1500 0001 ', '31/02/2015', 'x')""",
            {"s": submission},
        )
    link_submissions([submission], warehouse_db)
    with db.cursor() as cur:
        cur.execute(
            """select record_id, personal_id, flags from links.child_links
                 where source_row > 8 order by source_row"""
        )
        assert cur.fetchall() == [
            ("h", None, ["birth_date_disagrees"]),
            ("i", None, ["sex_disagrees"]),
            ("j", None, ["birth_date_disagrees", "sex_disagrees"]),
        ]


def test_a_parallel_plan_links_as_a_serial_one(db, warehouse_db, make_submission, monkeypatch):
    """The facts are gathered by CREATE TABLE AS so PostgreSQL may read them with parallel workers;
    with parallel plans made free, and with none allowed, the links are the same."""
    submission = _setup(db, make_submission)
    found = {}
    for name, options in {
        "serial": "-c max_parallel_workers_per_gather=0",
        # a parallel hash join, as at scale (checked with EXPLAIN under these settings)
        "parallel": "-c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0"
        " -c enable_indexscan=off -c enable_bitmapscan=off -c enable_nestloop=off",
    }.items():
        monkeypatch.setenv("PGOPTIONS", options)
        link_submissions([submission], warehouse_db)
        with db.cursor() as cur:
            cur.execute("select source_row, personal_id, method, flags from links.child_links order by 1")
            found[name] = cur.fetchall()
        db.rollback()
    assert len(found["serial"]) == 7
    assert found["parallel"] == found["serial"]
