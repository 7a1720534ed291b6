"""The discovery stage: scan the landing root and record new files in the ledger."""

from __future__ import annotations

from child_warehouse import ledger, settings
from child_warehouse.db.connection import transaction
from child_warehouse.sources.landing import scan


def discover_submissions(run_id: str, landing_root: str | None = None, url: str | None = None) -> list[str]:
    """Record files not seen before; return the provinces that have something to load.

    The landing root is a local folder or an fsspec URL (memory://, s3://...).
    """
    files = list(scan(landing_root or settings.landing_root()))
    with transaction(url) as conn:
        ledger.record_landed_files(conn, files, run_id)
        return ledger.pending_provinces(conn)
