"""Back up and restore the warehouse database with pg_dump / pg_restore.

The tools come from the same PostgreSQL installation the embedded cluster uses (CHILD_WAREHOUSE_PG_BIN,
else Debian's newest /usr/lib/postgresql/*/bin, else PATH), so their version matches the server's.
They are clients: they connect over TCP with the URL's password passed in PGPASSWORD, never on the
command line, and need no `postgres` system user. A backup is pg_dump's custom format: compressed,
with every schema (ledger, raw, dq, links, register, ops and the dbt schemas), grants included.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from child_warehouse import settings
from child_warehouse.db.cluster import ClusterError, find_binary
from child_warehouse.db.connection import connect, create_database_statement, drop_database, warehouse_url


@dataclass(frozen=True)
class Target:
    """Where a client tool connects: libpq options and the password for its environment."""

    options: list[str]
    password: str
    dbname: str


def target(url: str | None = None, dbname: str | None = None) -> Target:
    parts = settings.split_db_url(url or warehouse_url())
    name = dbname or parts.dbname
    options = ["--host", parts.host, "--port", str(parts.port), "--username", parts.user, "--dbname", name]
    return Target(options, parts.password, name)


def _run(args: list[str], password: str) -> None:
    env = {**os.environ, "PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10"}
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-1500:]
        raise ClusterError(f"{Path(args[0]).name} failed: {detail}")


def backup(out: Path, url: str | None = None) -> Path:
    """Write the warehouse database to `out` (custom format); written beside, then moved into place."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    where = target(url)
    _run([find_binary("pg_dump"), *where.options, "--format=custom", "--file", str(partial)], where.password)
    partial.replace(out)
    out.chmod(0o600)  # it holds names and personal IDs
    return out


def _database_exists(url: str, dbname: str) -> bool:
    conn = connect(_server_url(url))
    try:
        with conn.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", (dbname,))
            return cur.fetchone() is not None
    finally:
        conn.close()


def _server_url(url: str) -> str:
    parts = settings.split_db_url(url)
    return settings.join_db_url(
        settings.DatabaseParts(parts.host, parts.port, parts.user, parts.password, "postgres")
    )


def _recreate(url: str, dbname: str, replace: bool) -> None:
    if replace:
        drop_database(dbname, _server_url(url))
    conn = connect(_server_url(url))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(create_database_statement(dbname))  # as the warehouse is made
    finally:
        conn.close()


def restore(dump: Path, url: str | None = None, into: str | None = None, replace: bool = False) -> str:
    """Restore a backup into a new database (`into`), or over the warehouse's own with `replace`.

    Refuses to write over an existing database unless `replace` is set: it is then dropped
    (connections closed) and created again, so nothing of the current state is left mixed in.
    """
    url = url or warehouse_url()
    where = target(url, into)
    if not Path(dump).is_file():
        raise ClusterError(f"no backup file at {dump}")
    if _database_exists(url, where.dbname) and not replace:
        raise ClusterError(
            f"database {where.dbname} exists: restore into another with --into NAME, "
            "or pass --replace to drop it and restore the backup in its place"
        )
    _recreate(url, where.dbname, replace)
    _run(
        [find_binary("pg_restore"), *where.options, "--exit-on-error", "--jobs", "2", str(dump)],
        where.password,
    )
    return where.dbname
