"""Every raw child record and every link names a submission in the ledger (migration 0022): checked
once per statement, as the pipeline's own logins write, with a foreign key's error and lock."""

from __future__ import annotations

import io

import psycopg2
import psycopg2.errors
import pytest
from psycopg2 import sql

from child_warehouse.db.roles import ensure_logins, stage_url

ROWS = "insert into raw.child_records (submission_id, source_row, full_name) values (%s, %s, 'x')"


@pytest.fixture
def loader(db, warehouse_db):
    with db:
        ensure_logins(db, warehouse_db)
    conn = psycopg2.connect(stage_url("loader", warehouse_db))
    yield conn
    conn.close()


def _count(db, schema: str, table: str) -> int:
    with db, db.cursor() as cur:
        cur.execute(sql.SQL("select count(*) from {}").format(sql.Identifier(schema, table)))
        return cur.fetchone()[0]


def test_a_statement_naming_an_unknown_submission_keeps_none_of_its_rows(db, loader, make_submission):
    known = make_submission()
    with loader, loader.cursor() as cur:  # the loader's own login: the check needs no grant of its own
        cur.executemany(ROWS, [(known, 1), (known, 2)])
        cur.execute(
            """insert into raw.child_records (submission_id, source_row)
               select %s, n from generate_series(3, 5) as n""",
            (known,),
        )
    with pytest.raises(psycopg2.errors.ForeignKeyViolation) as refused, loader, loader.cursor() as cur:
        cur.execute(
            """insert into raw.child_records (submission_id, source_row)
               values (%s, 10), (%s, 11), (%s, 12)""",
            (known, known + 1000, known),
        )
    assert f"(submission_id)=({known + 1000})" in refused.value.diag.message_detail
    assert refused.value.diag.table_name == "child_records"
    with pytest.raises(psycopg2.errors.ForeignKeyViolation), loader, loader.cursor() as cur:
        cur.copy_expert(  # COPY, as ingest writes: the same check
            "copy raw.child_records (submission_id, source_row) from stdin with (format csv)",
            io.StringIO(f"{known},20\n{known + 7},21\n"),
        )
    assert _count(db, "raw", "child_records") == 5


def test_links_name_a_submission_too(db, make_submission):
    known = make_submission()
    links = "insert into links.child_links (submission_id, source_row, method) values (%s, 1, 'none')"
    with db, db.cursor() as cur:
        cur.execute(links, (known,))
    with pytest.raises(psycopg2.errors.ForeignKeyViolation), db, db.cursor() as cur:
        cur.execute(links, (known + 1,))
    assert _count(db, "links", "child_links") == 1


def test_a_rows_submission_never_changes_while_its_other_columns_may(db, loader, make_submission):
    first, second = make_submission(), make_submission()
    with loader, loader.cursor() as cur:
        cur.execute(ROWS, (first, 1))
        cur.execute("update raw.child_records set full_name = 'y', submission_id = submission_id")
    for target in (second, first + 1000):  # to a submission in the ledger or not
        with pytest.raises(psycopg2.errors.ForeignKeyViolation), loader, loader.cursor() as cur:
            cur.execute("update raw.child_records set submission_id = %s", (target,))
    with db, db.cursor() as cur:
        cur.execute("select submission_id, full_name from raw.child_records")
        assert cur.fetchall() == [(first, "y")]


def test_a_submission_still_named_is_neither_deleted_nor_rekeyed(db, make_submission):
    raw, linked, unused = make_submission(), make_submission(), make_submission()
    with db, db.cursor() as cur:
        cur.execute(ROWS, (raw, 1))
        cur.execute(
            "insert into links.child_links (submission_id, source_row, method) values (%s, 1, 'none')",
            (linked,),
        )
    for named, table in ((raw, "raw.child_records"), (linked, "links.child_links")):
        for change in (
            "delete from ledger.submissions where submission_id = %s",
            "update ledger.submissions set submission_id = default where submission_id = %s",
        ):
            with pytest.raises(psycopg2.errors.ForeignKeyViolation) as refused, db, db.cursor() as cur:
                cur.execute(change, (named,))
            assert f'referenced from table "{table}"' in refused.value.diag.message_detail
    with db, db.cursor() as cur:
        cur.execute("update ledger.submissions set status = 'accepted' where submission_id = %s", (raw,))
        cur.execute("delete from ledger.submissions where submission_id = %s", (unused,))
        assert cur.rowcount == 1


def test_a_submission_being_written_to_cannot_be_deleted_until_the_writer_ends(
    db, loader, make_submission, warehouse_db
):
    """The check locks the named ledger rows FOR KEY SHARE, as a foreign key does: a delete waits."""
    known = make_submission()
    other = psycopg2.connect(warehouse_db, options="-c lock_timeout=200ms")
    try:
        with loader.cursor() as cur:
            cur.execute(ROWS, (known, 1))  # the loader's transaction stays open
        with pytest.raises(psycopg2.errors.LockNotAvailable), other, other.cursor() as cur:
            cur.execute("delete from ledger.submissions where submission_id = %s", (known,))
        loader.commit()
        with pytest.raises(psycopg2.errors.ForeignKeyViolation), other, other.cursor() as cur:
            cur.execute("delete from ledger.submissions where submission_id = %s", (known,))
    finally:
        other.close()
