"""Discovery reads only files the ledger has not read: a file recorded at this path, size and
modification time is not hashed again, and a replaced or touched file is."""

from __future__ import annotations

import os

from child_warehouse.db.connection import transaction
from child_warehouse.sources import landing
from child_warehouse.sources.discover import discover_submissions

RECORDS = "Mã hồ sơ,Mã xã,Họ và tên,Ngày sinh,Giới tính\nHN-1,00004,Nguyễn Thị Hoà,05/03/2015,Nữ\n"


def _hashed(monkeypatch) -> list[str]:
    """The URLs discovery hashes from now on."""
    read: list[str] = []
    real = landing.sha256_of

    def counting(blob):
        read.append(str(blob))
        return real(blob)

    monkeypatch.setattr(landing, "sha256_of", counting)
    return read


def _versions(url: str) -> list[tuple]:
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute("select version, size_bytes from ledger.submissions order by submission_id")
        return cur.fetchall()


def test_a_recorded_file_is_not_read_again_and_a_changed_one_is(db, warehouse_db, tmp_path, monkeypatch):
    path = tmp_path / "01" / "2026-Q3" / "child_records.csv"
    path.parent.mkdir(parents=True)
    path.write_text(RECORDS, encoding="utf-8")
    discover_submissions("night-1", str(tmp_path), warehouse_db)
    hashed = _hashed(monkeypatch)

    discover_submissions("night-2", str(tmp_path), warehouse_db)
    assert hashed == []
    assert _versions(warehouse_db) == [(1, len(RECORDS.encode()))]

    # Touched (same bytes, another time; in the past, or discovery would wait for it to settle): read,
    # found to be the same content, not recorded again.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 5_000_000_000))
    discover_submissions("night-3", str(tmp_path), warehouse_db)
    assert len(hashed) == 1
    assert _versions(warehouse_db) == [(1, len(RECORDS.encode()))]

    # Replaced by the same size with other bytes, at another time: read and recorded as version 2.
    path.write_text(RECORDS.replace("HN-1", "HN-2"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10_000_000_000))
    discover_submissions("night-4", str(tmp_path), warehouse_db)
    assert len(hashed) == 2
    assert _versions(warehouse_db) == [(1, len(RECORDS.encode())), (2, len(RECORDS.encode()))]
