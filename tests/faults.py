"""Faults for the chaos suite: a night started in the background, a moment to strike, and a kill of
everything that runs it (the command, and every Airflow component and task it started), as a power
cut or the kernel's OOM killer would."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

from nights import CLI, Warehouse


@dataclass
class Night:
    """A `child-warehouse night` running in the background, in a session of its own."""

    warehouse: Warehouse
    process: subprocess.Popen
    log: Path
    started: float

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_night(warehouse: Warehouse, *args: str) -> Night:
    log = Path(warehouse.root) / f"night-{time.monotonic_ns()}.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [CLI, "night", *args],
            env=warehouse.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Night(warehouse, process, log, time.monotonic())


def wait_for(what: str, ready: Callable[[], bool], night: Night | None = None, timeout: float = 600) -> float:
    """Poll until `ready()`; the seconds it took. Fails if the night ends first or time runs out."""
    start = time.monotonic()
    while not ready():
        if night is not None and night.process.poll() is not None:
            raise AssertionError(f"the night ended before {what}:\n{night.output()[-3000:]}")
        if time.monotonic() - start > timeout:
            raise AssertionError(f"no {what} within {timeout:.0f} s")
        time.sleep(0.1)
    return time.monotonic() - start


def statuses(warehouse: Warehouse) -> dict[str, int]:
    return dict(warehouse.query("select status, count(*) from ledger.submissions group by status"))


def airflow_processes(warehouse: Warehouse) -> list[psutil.Process]:
    """Every process of the warehouse's Airflow stack (from its stack.json) and their descendants."""
    state = Path(warehouse.root) / "local" / "airflow" / "stack.json"
    if not state.exists():
        return []
    found = []
    for pid in json.loads(state.read_text(encoding="utf-8"))["pids"].values():
        try:
            top = psutil.Process(pid)
            found += [top, *top.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
    return found


def kill_everything(night: Night) -> int:
    """SIGKILL the night's command and the whole Airflow stack under it, all at once; how many processes."""
    victims = [psutil.Process(night.process.pid)]
    try:
        victims += victims[0].children(recursive=True)
    except psutil.NoSuchProcess:
        victims = []
    victims += airflow_processes(night.warehouse)
    for process in victims:
        try:
            process.send_signal(signal.SIGKILL)
        except psutil.NoSuchProcess:
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(night.process.pid, signal.SIGKILL)
    psutil.wait_procs(victims, timeout=30)
    night.process.wait(timeout=30)
    return len(victims)


def ledger_state(warehouse: Warehouse) -> list[tuple]:
    """Each file once: name, version, status, rows in the file, raw rows stored for it."""
    return warehouse.query(
        """select s.file_name, s.version, s.status, s.rows_in_file,
                  (select count(*) from raw.child_records as r where r.submission_id = s.submission_id)
                  + (select count(*) from raw.protection_cases as r where r.submission_id = s.submission_id)
                  + (select count(*) from raw.indicator_report as r where r.submission_id = s.submission_id)
           from ledger.submissions as s order by s.file_name"""
    )


def links_state(warehouse: Warehouse) -> list[tuple]:
    """Every child record's link, by file and row (submission ids may differ between warehouses)."""
    return warehouse.query(
        """select s.file_name, l.source_row, l.personal_id, l.method, l.flags, l.child_pseudonym
           from links.child_links as l join ledger.submissions as s using (submission_id)
           order by 1, 2"""
    )


def review_state(warehouse: Warehouse) -> list[tuple]:
    return warehouse.query(
        """select s.file_name, q.source_row, q.candidate_personal_id, round(q.match_probability::numeric, 6)
           from links.review_queue as q join ledger.submissions as s using (submission_id)
           order by 1, 2, 3"""
    )


def losses(warehouse: Warehouse, clean: Warehouse) -> tuple[int, int]:
    """(rows lost, rows or files duplicated) against a clean night of the same landing zone: raw rows
    per file, and files recorded more than once."""
    got = {(name, version): rows for name, version, _, _, rows in ledger_state(warehouse)}
    want = {(name, version): rows for name, version, _, _, rows in ledger_state(clean)}
    lost = sum(max(0, rows - got.get(key, 0)) for key, rows in want.items())
    doubled = sum(max(0, rows - want.get(key, 0)) for key, rows in got.items())
    names = [name for name, *_ in ledger_state(warehouse)]
    return lost, doubled + len(names) - len(set(names))


REPORT = Path(
    os.environ.get("CHAOS_REPORT", str(Path(__file__).resolve().parents[1] / ".local" / "chaos.jsonl"))
)


def record(
    case: str, fault: str, expected: str, observed: str, recovery_s: float, *, lost: int, doubled: int
) -> None:
    """One line of the chaos table (`make chaos` prints them all at the end; docs/chaos.md keeps a copy)."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "case": case,
        "fault": fault,
        "expected": expected,
        "observed": observed,
        "recovery_s": round(recovery_s, 1),
        "rows_lost": lost,
        "duplicates": doubled,
    }
    with REPORT.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def table() -> str:
    """The recorded cases as a Markdown table, latest record of each case."""
    if not REPORT.exists():
        return "No chaos case recorded."
    cases = {}
    for line in REPORT.read_text(encoding="utf-8").splitlines():
        found = json.loads(line)
        cases[found["case"]] = found
    head = (
        "| fault | expected | observed | recovery (s) | rows lost | duplicates |\n|---|---|---|---|---|---|\n"
    )
    return head + "".join(
        f"| {c['fault']} | {c['expected']} | {c['observed']} | {c['recovery_s']} | {c['rows_lost']} | "
        f"{c['duplicates']} |\n"
        for c in cases.values()
    )


if __name__ == "__main__":
    print(table())  # noqa: T201
