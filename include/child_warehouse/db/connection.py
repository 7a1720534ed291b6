"""Connections to the warehouse: the external server when configured, else the embedded cluster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from child_warehouse import settings


def warehouse_url(dbname: str | None = None) -> str:
    """The URL every stage uses; `dbname` picks another database on the same server."""
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


def fetch_all(query, params: dict | tuple | None = None, url: str | None = None) -> list[tuple]:
    """One query's rows, in a transaction of its own."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def ensure_database(dbname: str | None = None) -> bool:
    """Create the warehouse database when missing (needs CREATEDB); True when it was created."""
    from psycopg2 import sql

    target = dbname or settings.split_db_url(warehouse_url()).dbname
    conn = connect(warehouse_url("postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", (target,))
            if cur.fetchone():
                return False
            cur.execute(
                sql.SQL("create database {} encoding 'UTF8' template template0").format(
                    sql.Identifier(target)
                )
            )
            return True
    finally:
        conn.close()


def drop_database(dbname: str, server_url: str | None = None) -> None:
    """Drop a database if it exists, closing its sessions first (scratch, check and test databases)."""
    from psycopg2 import sql

    conn = connect(server_url or warehouse_url("postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dbname)))
    finally:
        conn.close()
