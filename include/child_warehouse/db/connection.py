"""Connections to the warehouse: the external server when configured, else the embedded cluster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from child_warehouse import settings

_acting_as: ContextVar[str | None] = ContextVar("child_warehouse_stage_role", default=None)

# How the warehouse's databases are made (the warehouse itself and the template of fresh ones). Text
# sorts by its bytes (LC_COLLATE C): for UTF-8 that is the order of the characters' code points, the
# order C.UTF-8 gives too, so no sorted result changes; but PostgreSQL sorts and indexes such text by
# comparing bytes, where any other collation calls the C library for every comparison. Measured on a
# million children's records: sorting their pseudonyms 0.8-0.9 s, 2.1-2.3 s under C.UTF-8.
# Upper and lower case and character classes still follow the server's LC_CTYPE (C.UTF-8 in the
# embedded cluster), so Vietnamese letters keep their case.
CREATE_DATABASE_OPTIONS = "template template0 encoding 'UTF8' lc_collate 'C'"


def create_database_statement(dbname: str):
    """`CREATE DATABASE dbname` as the warehouse's databases are made (CREATE_DATABASE_OPTIONS)."""
    from psycopg2 import sql

    return sql.SQL("create database {} {}").format(sql.Identifier(dbname), sql.SQL(CREATE_DATABASE_OPTIONS))


@contextmanager
def acting_as(group: str) -> Iterator[str]:
    """Within this block, connections opened without an explicit URL are the pipeline login of `group`
    (loader, linker, registrar, transformer; child_warehouse.db.roles); yields that URL."""
    from child_warehouse.db.roles import stage_url

    # the login's own URL, when set, is used without asking for the superuser's at all
    url = settings.stage_db_url(group) or stage_url(group, admin_url())
    token = _acting_as.set(url)
    try:
        yield url
    finally:
        _acting_as.reset(token)


def warehouse_url(dbname: str | None = None) -> str:
    """The URL every stage uses (its pipeline login inside `acting_as`); `dbname` picks another
    database on the same server, as the administrator."""
    if dbname is None and _acting_as.get() is not None:
        return _acting_as.get()
    return admin_url(dbname)


def admin_url(dbname: str | None = None) -> str:
    """The administrator's URL (migrations, database creation): CHILD_WAREHOUSE_DB_URL or the embedded
    cluster's superuser."""
    external = settings.external_db_url()
    if external:
        if dbname is None:
            return external
        parts = settings.split_db_url(external)
        return settings.join_db_url(
            settings.DatabaseParts(parts.host, parts.port, parts.user, parts.password, dbname)
        )
    from child_warehouse.db.cluster import default_cluster

    return default_cluster().url(dbname or settings.embedded_dbname())


def connect(url: str | None = None):
    """A psycopg2 connection; the caller owns the transaction."""
    import psycopg2

    conn = psycopg2.connect(url or warehouse_url())
    conn.set_client_encoding("UTF8")
    return conn


@contextmanager
def transaction(url: str | None = None) -> Iterator:
    """One connection, one transaction: committed on success, rolled back on any error."""
    conn = connect(url)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


@contextmanager
def transaction_on(conn=None, url: str | None = None) -> Iterator:
    """The caller's connection, in the caller's transaction, when there is one; else transaction()."""
    if conn is not None:
        yield conn
        return
    with transaction(url) as own:
        yield own


def fetch_all(query, params: dict | tuple | None = None, url: str | None = None) -> list[tuple]:
    """One query's rows, in a transaction of its own."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def ensure_database(dbname: str | None = None) -> bool:
    """Create the warehouse database when missing (needs CREATEDB); True when it was created."""
    target = dbname or settings.split_db_url(admin_url()).dbname
    conn = connect(admin_url("postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", (target,))
            if cur.fetchone():
                return False
            cur.execute(create_database_statement(target))
            return True
    finally:
        conn.close()


def drop_database(dbname: str, server_url: str | None = None) -> None:
    """Drop a database if it exists, closing its sessions first (scratch, check and test databases)."""
    from psycopg2 import sql

    conn = connect(server_url or admin_url("postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dbname)))
    finally:
        conn.close()
