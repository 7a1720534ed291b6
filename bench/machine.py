"""The machine and the versions a run was measured on."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

import psutil

PACKAGES = (
    "dbt-core",
    "dbt-postgres",
    "great-expectations",
    "splink",
    "duckdb",
    "pandas",
    "recordlinkage",
    "psycopg2-binary",
    "apache-airflow",
    "astronomer-cosmos",
)


def _cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):  # noqa: SIM115, PTH123 (short read)
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def describe(url: str) -> dict:
    from child_warehouse.db.connection import transaction

    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute("show server_version")
        server = cur.fetchone()[0]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "postgresql": server,
        "packages": {p: _version(p) for p in PACKAGES},
    }
