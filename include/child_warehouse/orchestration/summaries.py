"""Task logs an engineer reads: library noise held at WARNING in task processes.

Every stage's task ends with one `Summary:` line of counts, written by the stage itself (ingest,
validation, linkage, dbt); a stage that refused or rejected files names each of them, with the
reason the province reads, just before it. Libraries that talk at INFO (Great Expectations
announces every expectation it registers, Cosmos and OpenLineage every step) are held at WARNING.
"""

from __future__ import annotations

import logging

log = logging.getLogger("child_warehouse.summary")

QUIET_LIBRARIES = ("great_expectations", "cosmos", "openlineage", "airflow.providers.openlineage")


def quiet_libraries() -> None:
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
