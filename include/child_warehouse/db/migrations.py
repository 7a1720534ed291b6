"""Versioned migrations for the tables dbt does not own; safe to apply any number of times."""

from __future__ import annotations

from importlib import resources

from child_warehouse.db.connection import transaction

_BOOKKEEPING = """
create schema if not exists ops;
create table if not exists ops.schema_migrations (
    version    text primary key,
    applied_at timestamptz not null default now()
)
"""


def available() -> list[tuple[str, str]]:
    """(version, sql) for every migration file shipped with the package, in order."""
    folder = resources.files("child_warehouse.db") / "sql"
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(p.name.removesuffix(".sql"), p.read_text(encoding="utf-8")) for p in files]


def apply_all(url: str | None = None) -> list[str]:
    """Apply pending migrations in one transaction under an advisory lock; return the versions applied."""
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
    return applied
