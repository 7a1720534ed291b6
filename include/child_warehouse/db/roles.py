"""The pipeline's own logins: each stage connects as a member of its group role, not as the superuser.

Groups (migration 0015_pipeline_roles.sql): `loader` (ingest, validation, feedback, run summary),
`linker` (linkage; the register read-only), `registrar` (the register extract), `transformer`
(dbt) and `publisher` (releases, migration 0018_releases.sql). Each has one login, `cw_<group>`,
made by `db init` as a plain member: no superuser, no BYPASSRLS, no CREATEROLE.

A login's URL is `CHILD_WAREHOUSE_<GROUP>_DB_URL` where set (production: from a secrets backend, so
workers never hold the superuser's password, and `db init` sets that password on the login).
Otherwise it is the warehouse URL with the login's name and a password derived from the
warehouse password by HMAC, the same in every process that can reach the warehouse at all, so one
connection variable still configures everything and no password is stored anywhere new.

A stage takes its login with `connection.acting_as(group)`; every connection it opens without an
explicit URL is then that login's.
"""

from __future__ import annotations

import hashlib
import hmac

from child_warehouse import settings

GROUPS = ("loader", "linker", "registrar", "transformer", "publisher")
# Session settings of a group's login (`alter role ... set`). dbt creates and replaces tables: they
# must belong to the group, whichever login (or a future second one) ran the build, so the
# transformer's sessions start as the group (`role`; dbt's own `role` setting is undone by the
# rollback it issues right after connecting). dbt's models and tests are hundreds of statements over
# large tables whose estimated costs pass JIT's thresholds: compiling them cost more than it saved
# (at 1M records, measured once each: the incremental night's `dbt build` 51.9 s with JIT and 42.0 s
# without, a full refresh 67.0 s and 55.3 s; EXPLAIN showed 1.8 s of JIT in one model's statement).
LOGIN_SETTINGS = {"transformer": {"role": "transformer", "jit": "off"}}


def login_name(group: str) -> str:
    return f"cw_{group}"


def _derived_password(admin_url: str, login: str) -> str:
    secret = settings.split_db_url(admin_url).password.encode("utf-8")
    return hmac.new(secret, f"child_warehouse/{login}".encode(), hashlib.sha256).hexdigest()


def stage_url(group: str, admin_url: str) -> str:
    """The URL of `group`'s login on the warehouse database `admin_url` names."""
    if group not in GROUPS:
        raise ValueError(f"no pipeline role {group!r}; one of {', '.join(GROUPS)}")
    explicit = settings.stage_db_url(group)
    if explicit:
        return explicit
    parts = settings.split_db_url(admin_url)
    login = login_name(group)
    return settings.join_db_url(
        settings.DatabaseParts(
            parts.host, parts.port, login, _derived_password(admin_url, login), parts.dbname
        )
    )


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677), computed here so
    the password itself never reaches the server, whose log may keep the statement (log_statement =
    'ddl', or an error). Our passwords are ASCII, which SASLprep leaves as they are."""
    import base64
    import os

    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    return (
        f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(hashlib.sha256(client_key).digest())}:{b64(server_key)}"
    )


def ensure_logins(conn, admin_url: str) -> list[str]:
    """Create (or bring up to date) every group's login with its password; the logins made or updated.
    Roles are the server's, not the database's: every warehouse database on a server shares them.
    Only a SCRAM verifier of each password is sent, never the password."""
    import psycopg2.errors
    from psycopg2 import sql

    options = "login nosuperuser nobypassrls nocreaterole nocreatedb inherit password %s"
    done = []
    with conn.cursor() as cur:
        for group in GROUPS:
            parts = settings.split_db_url(stage_url(group, admin_url))
            login = sql.Identifier(parts.user)
            verifier = scram_verifier(parts.password)
            cur.execute("select 1 from pg_roles where rolname = %s", (parts.user,))
            exists = cur.fetchone() is not None
            cur.execute("savepoint login")
            try:  # another database's migration on the same server may make it at the same moment
                verb = "alter" if exists else "create"
                cur.execute(sql.SQL(verb + " role {} " + options).format(login), (verifier,))
            except psycopg2.errors.DuplicateObject:
                cur.execute("rollback to savepoint login")
                cur.execute(sql.SQL("alter role {} " + options).format(login), (verifier,))
            cur.execute(sql.SQL("grant {} to {}").format(sql.Identifier(group), login))
            for name, value in LOGIN_SETTINGS.get(group, {}).items():
                cur.execute(
                    sql.SQL("alter role {} set {} = {}").format(
                        login, sql.Identifier(name), sql.Literal(value)
                    )
                )
            done.append(parts.user)
    return done
