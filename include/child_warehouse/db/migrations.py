"""The warehouse's own schema, brought up to date: versioned migrations, the current definitions of
its functions, then the reference lists.

Migrations (`sql/NNNN_*.sql`) are append-only history, applied once each. The functions every stage
calls (`util.*`) are defined in `sql/definitions/`, one file per concept holding the current
definition, applied in file order after the migrations every time (`create or replace`), so the
definition in force is always the one in that file. Safe to apply any number of times; one
transaction under an advisory lock, so a half-applied change never stays and two processes never
migrate at once.
"""

from __future__ import annotations

from importlib import resources

from child_warehouse.db.connection import admin_url, transaction

_BOOKKEEPING = """
create schema if not exists ops;
create table if not exists ops.schema_migrations (
    version    text primary key,
    applied_at timestamptz not null default now()
)
"""


def _sql_files(folder) -> list[tuple[str, str]]:
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(p.name.removesuffix(".sql"), p.read_text(encoding="utf-8")) for p in files]


def available() -> list[tuple[str, str]]:
    """(version, sql) for every migration file shipped with the package, in order."""
    return _sql_files(resources.files("child_warehouse.db") / "sql")


def definitions() -> list[tuple[str, str]]:
    """(name, sql) of the current function definitions, in the order they are applied."""
    return _sql_files(resources.files("child_warehouse.db") / "sql" / "definitions")


def apply_all(url: str | None = None) -> list[str]:
    """Apply pending migrations, reload the reference lists and make the pipeline's logins
    (child_warehouse.db.roles); return the versions applied."""
    from child_warehouse.db.reference import load_reference_lists
    from child_warehouse.db.roles import ensure_logins

    applied: list[str] = []
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(hashtext('child_warehouse.migrations'))")
        cur.execute(_BOOKKEEPING)
        cur.execute("select version from ops.schema_migrations")
        done = {row[0] for row in cur.fetchall()}
        for version, sql in available():
            if version in done:
                continue
            cur.execute(sql)
            cur.execute("insert into ops.schema_migrations (version) values (%s)", (version,))
            applied.append(version)
        for _, sql in definitions():
            cur.execute(sql)
        load_reference_lists(conn)
        ensure_logins(conn, url or admin_url())
    return applied
