"""A fresh warehouse in a second: one template database, copied wherever an empty warehouse is needed.

A fresh warehouse is a database with every migration applied and the reference lists loaded. The
template is one, built once per server and kept, named by a fingerprint of the migrations, the
reference lists and how the database is created (connection.CREATE_DATABASE_OPTIONS), so a change to
any builds a new one (and removes the old); every fresh warehouse after that is a copy (`CREATE
DATABASE … TEMPLATE`), which takes about a tenth of a second. Tests, scratch databases (linkage and
validation evaluations, benchmarks) and the officer's `child-warehouse check` all use it.

Building is serialised by an advisory lock, so processes racing for the same server (parallel test
workers, two checks) build it once. The template refuses connections once built: a connection to it
would make every copy fail while it lasts.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager

from child_warehouse import settings
from child_warehouse.db import connection, migrations

PREFIX = "cw_template_"
_LOCK = "child_warehouse.template"


def fingerprint() -> str:
    """Changes whenever the migrations, the function definitions, the reference lists or how the
    database is created change."""
    from child_warehouse.db.reference import reference_dir

    digest = hashlib.sha256(connection.CREATE_DATABASE_OPTIONS.encode() + b"\0")
    for version, text in [*migrations.available(), *migrations.definitions()]:
        digest.update(version.encode() + b"\0" + text.encode())
    for path in sorted(reference_dir().glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def template_name() -> str:
    return PREFIX + fingerprint()


def database_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server of `server_url`."""
    parts = settings.split_db_url(server_url)
    return settings.join_db_url(
        settings.DatabaseParts(parts.host, parts.port, parts.user, parts.password, name)
    )


def _admin(server_url: str):
    conn = connection.connect(server_url)
    conn.autocommit = True
    return conn


def _existing(cur, pattern: str) -> list[str]:
    cur.execute("select datname from pg_database where datname like %s order by 1", (pattern,))
    return [row[0] for row in cur.fetchall()]


def _build(cur, server_url: str, name: str) -> None:
    from psycopg2 import sql

    building = f"{name}_building"
    connection.drop_database(building, server_url)  # left by a build that was killed
    cur.execute(connection.create_database_statement(building))
    migrations.apply_all(database_url(server_url, building))
    # Renamed only when complete, so a template under its real name is always a whole one.
    cur.execute(
        sql.SQL("alter database {} rename to {}").format(sql.Identifier(building), sql.Identifier(name))
    )
    cur.execute(sql.SQL("alter database {} with allow_connections false").format(sql.Identifier(name)))


def _drop_stale(cur, server_url: str, keep: str) -> None:
    from psycopg2 import errors

    for name in _existing(cur, PREFIX + "%"):
        if name == keep or name.endswith("_building"):
            continue
        try:
            connection.drop_database(name, server_url)
        except errors.ObjectInUse:  # being copied by another process right now: next time
            continue


def ensure_template(server_url: str | None = None) -> str:
    """The current template's name on the server, built first if it is missing or out of date."""
    server_url = server_url or connection.warehouse_url("postgres")
    name = template_name()
    with closing(_admin(server_url)) as admin, admin.cursor() as cur:
        cur.execute("select pg_advisory_lock(hashtext(%s))", (_LOCK,))
        try:
            cur.execute("select 1 from pg_database where datname = %s", (name,))
            if cur.fetchone() is None:
                _build(cur, server_url, name)
                _drop_stale(cur, server_url, name)
        finally:
            cur.execute("select pg_advisory_unlock(hashtext(%s))", (_LOCK,))
    return name


def create_database(name: str, server_url: str | None = None, template: str | None = None) -> str:
    """Database `name` as a copy of `template` (default: the fresh-warehouse template); its URL."""
    from psycopg2 import sql

    server_url = server_url or connection.warehouse_url("postgres")
    source = template or ensure_template(server_url)
    with closing(_admin(server_url)) as admin, admin.cursor() as cur:
        cur.execute(
            sql.SQL("create database {} template {}").format(sql.Identifier(name), sql.Identifier(source))
        )
    return database_url(server_url, name)


@contextmanager
def fresh_database(prefix: str, server_url: str | None = None) -> Iterator[str]:
    """A fresh warehouse named `<prefix>_<random>`, dropped afterwards; yields its URL."""
    server_url = server_url or connection.warehouse_url("postgres")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = create_database(name, server_url)
    try:
        yield url
    finally:
        connection.drop_database(name, server_url)
