"""The warehouse's databases sort text by its bytes (LC_COLLATE C: in UTF-8 the characters' code
points, as C.UTF-8 sorts, without a C library call per comparison) and keep the server's character
classes, so Vietnamese letters keep their case. The warehouse itself (`ensure_database`) and every
fresh copy (the template) are made alike."""

from __future__ import annotations

import uuid
from contextlib import closing

import pytest

from child_warehouse.db import connection, template

WORDS = ["Ý", "a", "B", "Đ", "á", "z", "ư", "Ư", "đường", "duong", "Đức"]


def _check(url: str) -> None:
    with closing(connection.connect(url)) as conn, conn.cursor() as cur:
        cur.execute("select datcollate from pg_database where datname = current_database()")
        assert cur.fetchone()[0] == "C"
        cur.execute("select upper('đường'), lower('ĐỨC')")
        assert cur.fetchone() == ("ĐƯỜNG", "đức")
        cur.execute("select array_agg(w order by w) from unnest(%s::text[]) as w", (WORDS,))
        assert cur.fetchone()[0] == sorted(WORDS)  # Python orders str by code point


def test_a_fresh_warehouse_sorts_by_code_point_and_keeps_vietnamese_case(warehouse_db):
    _check(warehouse_db)


@pytest.mark.usefixtures("server_url")
def test_the_warehouse_database_is_made_alike():
    name = f"cw_test_options_{uuid.uuid4().hex[:8]}"
    assert connection.ensure_database(name)
    try:
        _check(template.database_url(connection.warehouse_url("postgres"), name))
    finally:
        connection.drop_database(name, connection.warehouse_url("postgres"))
