"""The pipeline's logins: made with a verifier, never the password, and usable with the password."""

import io

import psycopg2
from psycopg2.extras import LoggingConnection

from child_warehouse.db.roles import GROUPS, ensure_logins, scram_verifier, stage_url


def test_no_statement_carries_a_logins_password(warehouse_db):
    """Every statement ensure_logins sends, as the server would see (and might log) it."""
    sent = io.StringIO()
    conn = psycopg2.connect(warehouse_db, connection_factory=LoggingConnection)
    conn.initialize(sent)
    try:
        with conn:
            assert ensure_logins(conn, warehouse_db) == [f"cw_{group}" for group in GROUPS]
    finally:
        conn.close()
    passwords = [psycopg2.extensions.parse_dsn(stage_url(g, warehouse_db))["password"] for g in GROUPS]
    assert "SCRAM-SHA-256$4096:" in sent.getvalue()
    assert not [p for p in passwords if p in sent.getvalue()]
    for group in GROUPS:  # and each login still logs in with its password
        psycopg2.connect(stage_url(group, warehouse_db)).close()


def test_the_transformers_sessions_start_as_its_group_without_jit(warehouse_db):
    """dbt's login: what it creates belongs to the group; its statements are not JIT-compiled."""
    with psycopg2.connect(warehouse_db) as conn, conn.cursor() as cur:
        ensure_logins(conn, warehouse_db)
        cur.execute("select current_setting('jit')")
        server_default = cur.fetchone()[0]
    for group in GROUPS:
        conn = psycopg2.connect(stage_url(group, warehouse_db))
        try:
            with conn.cursor() as cur:
                cur.execute("select current_user, current_setting('jit')")
                user, jit = cur.fetchone()
        finally:
            conn.close()
        if group == "transformer":
            assert (user, jit) == ("transformer", "off")
        else:
            assert (user, jit) == (f"cw_{group}", server_default)


def test_a_verifier_is_salted_each_time():
    first, second = scram_verifier("same"), scram_verifier("same")
    assert first != second
    assert first.startswith("SCRAM-SHA-256$4096:")
