"""Keyed-hash pseudonyms for children, computed outside the database with a key it never sees.

A linked child's pseudonym is HMAC-SHA256 of its personal ID, so the same child has the same
pseudonym in every province and period; an unlinked record's is the HMAC of its province and
record_id (stable by contract). `pseudonym_key_id` names the key (a short hash of it), so a key
rotation can find every row made with the old key.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets

from child_warehouse import settings
from child_warehouse.db.connection import transaction


class MissingKeyError(RuntimeError):
    """No pseudonym key is configured where one is required."""


def pseudonym_key() -> bytes:
    """The key from CHILD_WAREHOUSE_PSEUDONYM_KEY; the embedded development setup makes its own."""
    configured = settings.pseudonym_key()
    if configured:
        return configured.encode()
    if settings.external_db_url():
        raise MissingKeyError("CHILD_WAREHOUSE_PSEUDONYM_KEY must be set when using an external warehouse")
    path = settings.local_dir() / "pseudonym.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32) + "\n")
        path.chmod(0o600)
    return path.read_text().strip().encode()


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"key-id:" + key).hexdigest()[:12]


def pseudonym(key: bytes, province_code: str, record_id: str | None, personal_id: str | None) -> str:
    subject = f"person:{personal_id}" if personal_id else f"record:{province_code}:{record_id}"
    return hmac.new(key, subject.encode(), hashlib.sha256).hexdigest()


FETCH_ALL_SQL = """
select l.submission_id, l.source_row, s.province_code, l.record_id, l.personal_id
from links.child_links as l join ledger.submissions as s using (submission_id)
"""
FETCH_SQL = FETCH_ALL_SQL + "where l.submission_id = any(%s)\n"


BATCH_ROWS = 50_000


def _batches(conn, submission_ids: list[int] | None, key: bytes):
    """Pseudonyms as CSV text, a batch at a time, read through a server-side cursor (None: every row)."""
    with conn.cursor(name="pseudonym_source") as source:
        source.itersize = BATCH_ROWS
        if submission_ids is None:
            source.execute(FETCH_ALL_SQL)
        else:
            source.execute(FETCH_SQL, (submission_ids,))
        while rows := source.fetchmany(BATCH_ROWS):
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerows(
                [submission_id, source_row, pseudonym(key, province, record_id, personal_id)]
                for submission_id, source_row, province, record_id, personal_id in rows
            )
            buffer.seek(0)
            yield buffer


def _write(conn, submission_ids: list[int] | None, key: bytes) -> int:
    """Compute and store the pseudonyms of the given submissions (None: all) in the caller's transaction."""
    with conn.cursor() as cur:
        cur.execute(
            "create temporary table pseudonyms (submission_id bigint, source_row integer, "
            "child_pseudonym text) on commit drop"
        )
    for batch in _batches(conn, submission_ids, key):
        with conn.cursor() as cur:
            cur.copy_expert("copy pseudonyms from stdin with (format csv)", batch)
    with conn.cursor() as cur:
        # the planner then knows how many rows the night has (probes of the links' key, not a scan of
        # every link ever made, once they are few)
        cur.execute("analyze pseudonyms")
        cur.execute(
            """update links.child_links as l
                       set child_pseudonym = p.child_pseudonym, pseudonym_key_id = %s
                       from pseudonyms as p
                       where l.submission_id = p.submission_id and l.source_row = p.source_row""",
            (key_id(key),),
        )
        return cur.rowcount


def assign_pseudonyms(submission_ids: list[int], url: str | None = None) -> int:
    """Write every record's pseudonym in one transaction (read in batches, hashed here, COPY'd back)."""
    if not submission_ids:
        return 0
    key = pseudonym_key()
    with transaction(url) as conn:
        return _write(conn, submission_ids, key)


def keys_in_use(url: str | None = None) -> dict[str | None, int]:
    """How many linked records each key (by key id) made; None: records without a pseudonym yet."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute("select pseudonym_key_id, count(*) from links.child_links group by 1 order by 2 desc")
        return dict(cur.fetchall())


def rotate(new_key: bytes, url: str | None = None) -> int:
    """Recompute every record's pseudonym with `new_key`, in one transaction; returns rows rewritten.

    Rows are locked for the duration, so a night cannot add old-key pseudonyms half-way. The old
    key is not needed: a pseudonym depends only on the key and the child's ID or record.
    """
    if len(new_key) < 32:
        raise ValueError("the new pseudonym key must be at least 32 characters (openssl rand -hex 32)")
    with transaction(url) as conn:
        with conn.cursor() as cur:
            cur.execute("lock table links.child_links in share row exclusive mode")
        return _write(conn, None, new_key)


def read_key_file(path) -> bytes:
    """A key file holds the key on its first line (as CHILD_WAREHOUSE_PSEUDONYM_KEY would)."""
    from pathlib import Path

    text = Path(path).read_text(encoding="utf-8").strip()
    if not text:
        raise ValueError(f"{path} is empty")
    return text.splitlines()[0].strip().encode()


def install_local_key(new_key: bytes) -> bool:
    """Embedded development setup only (no key in the environment): the new key replaces the local file."""
    if settings.pseudonym_key() or settings.external_db_url():
        return False
    path = settings.local_dir() / "pseudonym.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new_key.decode() + "\n")
    path.chmod(0o600)
    return True
