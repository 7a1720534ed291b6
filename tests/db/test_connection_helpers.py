"""One connection for a series of transactions (`closing(connect())`, as validation and feedback loop
over files), each committed or rolled back on its own by `with conn:` (psycopg2's, which does not
close the connection as psycopg 3's does); transaction_on() works in the caller's transaction when
given one, else commits its own."""

from __future__ import annotations

from contextlib import closing

import pytest

from child_warehouse.db.connection import connect, fetch_all, transaction_on


@pytest.fixture
def probe(db, warehouse_db):
    with db, db.cursor() as cur:
        cur.execute("create table public.helper_probe (n int)")
    yield warehouse_db
    with db, db.cursor() as cur:
        cur.execute("drop table public.helper_probe")


def _values(url: str) -> list[int]:
    return [n for (n,) in fetch_all("select n from public.helper_probe order by n", url=url)]


def _insert(conn, n: int, *, then_fail: bool = False) -> None:
    """A transaction of its own on `conn` that inserts n, and fails after when asked."""
    with conn, conn.cursor() as cur:
        cur.execute("insert into public.helper_probe values (%s)", (n,))
        if then_fail:
            raise ZeroDivisionError


def _insert_in_callers_transaction(conn, n: int) -> None:
    """transaction_on(conn) inserts n in the caller's transaction, which then fails."""
    with conn:
        with transaction_on(conn) as same, same.cursor() as cur:
            assert same is conn
            cur.execute("insert into public.helper_probe values (%s)", (n,))
        raise ZeroDivisionError


def test_one_connection_commits_or_rolls_back_each_transaction_on_its_own(probe):
    with closing(connect(probe)) as conn:
        backend = conn.get_backend_pid()
        _insert(conn, 1)
        with pytest.raises(ZeroDivisionError):
            _insert(conn, 2, then_fail=True)  # its row is not kept
        _insert(conn, 3)
        assert conn.get_backend_pid() == backend
    assert conn.closed
    assert _values(probe) == [1, 3]


def test_transaction_on_leaves_the_callers_transaction_to_the_caller(probe):
    with closing(connect(probe)) as conn, pytest.raises(ZeroDivisionError):
        _insert_in_callers_transaction(conn, 1)
    assert _values(probe) == []  # the row went with the caller's transaction
    with transaction_on(url=probe) as own, own.cursor() as cur:
        cur.execute("insert into public.helper_probe values (2)")
    assert _values(probe) == [2]
