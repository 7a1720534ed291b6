"""The discovery stage: scan the landing root and record new files in the ledger."""

from __future__ import annotations

import logging

from child_warehouse import ledger, settings
from child_warehouse.db.connection import transaction
from child_warehouse.ledger import signoffs
from child_warehouse.sources.landing import scan, scan_approvals

log = logging.getLogger(__name__)

_BY_PROVINCE = """
select coalesce(province_code, '??'),
       count(*) filter (where discovered_run_id = %(run_id)s),
       count(*) filter (where discovered_run_id = %(run_id)s and status = 'rejected'),
       count(*) filter (where status = any(%(pending)s))
from ledger.submissions
where discovered_run_id = %(run_id)s or status = any(%(pending)s)
group by 1 order by 1
"""


def discover_submissions(
    run_id: str, landing_root: str | None = None, url: str | None = None, *, dry_run: bool = False
) -> list[str]:
    """Record files not seen before; return the provinces that have something to load.

    The landing root is a local folder or an fsspec URL (memory://, s3://...). A dry run records
    nothing: it logs the files a real run would record and returns the provinces it would load.
    """
    root = landing_root or settings.landing_root()
    with transaction(url) as conn:
        known = ledger.known_files(conn)
    files = list(scan(root, known=known))
    with transaction(url) as conn:
        if dry_run:
            return _preview(conn, files)
        ledger.record_landed_files(conn, files, run_id)
        approvals = signoffs.record_approvals(conn, scan_approvals(root), run_id)
        decided = signoffs.settle(conn)
        provinces = ledger.pending_provinces(conn)
        with conn.cursor() as cur:
            cur.execute(_BY_PROVINCE, {"run_id": run_id, "pending": sorted(ledger.PENDING)})
            counts = cur.fetchall()
    for province, new, refused, pending in counts:
        log.info(
            "Province %s: %d new file(s), %d refused for their path, %d to load",
            province,
            new,
            refused,
            pending,
        )
    log.info(
        "Summary: discovery: %d file(s) in the landing zone; %d new, %d refused for their path; "
        "%d province(s) to load: %s",
        len(files),
        sum(c[1] for c in counts),
        sum(c[2] for c in counts),
        len(provinces),
        ", ".join(provinces) or "none",
    )
    log.info(
        "Summary: sign-offs: %d new approval file(s); decided now: %s",
        approvals,
        ", ".join(f"{n} {status}" for status, n in sorted(decided.items())) or "none",
    )
    return provinces


def _preview(conn, files) -> list[str]:
    new = ledger.unrecorded_files(conn, files)
    pending = ledger.pending_provinces(conn)
    for f in new:
        why = f" ({f.reason_en})" if f.reason_en else ""
        log.info("Dry run: would record %s as %s%s", f.file_name, f.status, why)
    loadable = ledger.provinces_now(
        conn, [(f.province_code, f.period) for f in new if f.status == ledger.Status.DISCOVERED]
    )
    provinces = sorted(set(pending) | set(loadable))
    log.info(
        "Summary: dry run: %d file(s) in the landing zone, %d new (%d refused for their path); "
        "a run would load %d province(s): %s. Nothing was changed.",
        len(files),
        len(new),
        sum(1 for f in new if f.status != ledger.Status.DISCOVERED),
        len(provinces),
        ", ".join(provinces) or "none",
    )
    return provinces
