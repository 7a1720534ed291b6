"""Chaos, the slow tier (`make chaos`, `make test-all`): faults struck into real nights through
Airflow on real PostgreSQL, each followed by what the design says recovers it, then the same checks
as a clean night's: every file once in a final state, no raw row lost or doubled, links and the review
queue equal, marts equal. Each case records its row of the chaos table (docs/chaos.md).

Where a fault must strike in the middle of a step that takes milliseconds on the narrow sample (a
COPY, the probabilistic write-back), a trigger that sleeps on every row (`slowed`) stretches the step
so the kill lands inside it; the trigger is dropped at the kill, before anything is retried.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from child_warehouse.db import connection
from faults import (
    Night,
    ledger_state,
    links_state,
    losses,
    record,
    review_state,
    start_night,
    statuses,
    wait_for,
)
from nights import NARROW_PROVINCES, NIGHT_DATE, Warehouse, marts_snapshot, prepare, run_tag

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.chaos]


def _fresh(clean_night: Warehouse, server_url: str, tools: dict, folder: Path) -> Warehouse:
    return prepare(server_url, folder, tools, key=clean_night.key, provinces=NARROW_PROVINCES)


def _same_as_clean(warehouse: Warehouse, clean_night: Warehouse) -> tuple[int, int]:
    """Assert the warehouse ended as a clean night does; (rows lost, duplicates), both 0 here."""
    assert set(statuses(warehouse)) <= {"accepted", "accepted_with_warnings", "rejected"}, statuses(warehouse)
    assert ledger_state(warehouse) == ledger_state(clean_night)
    assert links_state(warehouse) == links_state(clean_night)
    assert review_state(warehouse) == review_state(clean_night)
    assert marts_snapshot(warehouse) == marts_snapshot(clean_night)
    lost, doubled = losses(warehouse, clean_night)
    assert (lost, doubled) == (0, 0)
    return lost, doubled


def _finished(night: Night, timeout: float = 1500) -> str:
    night.process.wait(timeout=timeout)
    output = night.output()
    assert night.process.returncode == 0, output[-3000:]
    return output


def _said(output: str) -> str:
    """How the `night` command said its run ended ("success in 229 s"), for the table."""
    found = re.search(r" (success|failed|running|queued)( in \d+ s)?", output)
    return found.group(0).strip() if found else output.strip().splitlines()[-1][:60]


def _backend_process(warehouse: Warehouse, condition: str) -> psutil.Process | None:
    """The client process of a session of this warehouse matching `condition` (SQL on
    pg_stat_activity): found by the session's TCP port among this machine's sockets."""
    ports = {
        port
        for (port,) in warehouse.query(
            f"select client_port from pg_stat_activity where datname = current_database() and {condition}"  # noqa: S608
        )
        if port
    }
    for socket in psutil.net_connections(kind="tcp"):
        if socket.laddr and socket.laddr.port in ports and socket.pid:
            return psutil.Process(socket.pid)
    return None


@contextlib.contextmanager
def slowed(warehouse: Warehouse, table: str, event: str, seconds: float) -> Iterator[callable]:
    """A trigger sleeping `seconds` per row on `event` (insert, update) into `table`; yields a
    function that removes it (also done at the end)."""
    name = f"chaos_slow_{event}"
    warehouse.query(
        f"""create or replace function public.{name}() returns trigger language plpgsql as
            $$ begin perform pg_sleep({seconds}); return new; end $$;
            create trigger {name} before {event} on {table} for each row execute function public.{name}();
            select 1"""
    )

    def remove() -> None:
        warehouse.query(f"drop trigger if exists {name} on {table}; select 1")

    try:
        yield remove
    finally:
        remove()


def _kill_task(warehouse: Warehouse, night: Night, what: str, condition: str) -> float:
    """Wait for a session matching `condition`, SIGKILL the task process that holds it; the moment."""
    found: list[psutil.Process] = []

    def holding() -> bool:
        process = _backend_process(warehouse, condition)
        if process is not None:
            found.append(process)
        return process is not None

    wait_for(what, holding, night, timeout=900)
    found[-1].kill()
    return time.monotonic()


def test_the_load_task_killed_in_the_middle_of_a_copy(clean_night, server_url, tools, tmp_path):
    warehouse = _fresh(clean_night, server_url, tools, tmp_path)
    try:
        with slowed(warehouse, "raw.child_records", "insert", 0.3) as remove:
            night = start_night(warehouse, "--date", NIGHT_DATE)
            # A CSV file's lines are COPYed into a temporary table, then inserted into the raw table
            # in the same transaction; other kinds are COPYed straight in.
            copying = (
                "usename = 'cw_loader' and state = 'active' "
                "and (query ilike 'copy%child_records%' or query ilike 'insert into%child_records%')"
            )
            killed_at = _kill_task(warehouse, night, "a file's rows going into raw.child_records", copying)
            half = warehouse.query(
                """select count(*) from raw.child_records as r
                   join ledger.submissions as s using (submission_id)
                   where s.status <> 'loaded' and s.status not like 'accepted%%'"""
            )[0][0]
            remove()
        output = _finished(night)
        recovery = time.monotonic() - killed_at
        lost, doubled = _same_as_clean(warehouse, clean_night)
        record(
            "kill-load-copy",
            "load task SIGKILLed while a file's rows go into raw.child_records",
            "the file's transaction rolls back (no row stays); Airflow retries the task in the same run",
            f"{half} rows of unloaded files right after the kill; run `{_said(output)}`",
            recovery,
            lost=lost,
            doubled=doubled,
        )
        assert half == 0  # nothing of the killed COPY was committed
    finally:
        warehouse.drop()


MART_ROWS = "select * from marts.special_circumstances_by_province order by 1, 2, 3"


def test_dbt_killed_in_the_middle_of_building_the_marts(clean_night, tmp_path):
    """On a copy of the clean night with a province reprocessed (so the marts exist and are rebuilt):
    dbt is held at replacing one mart (a SHARE lock taken as it starts, which lets analysts read),
    an analyst starts reading that mart, dbt is SIGKILLed; the analyst gets the previous mart whole,
    and the task's retry builds everything."""
    import threading

    from nights import clone

    warehouse = clone(clean_night, tmp_path / "copy")
    try:
        warehouse.run("reprocess", "--province", "01", "--period", "2026-Q3", "--to", "2026-M10")
        before = warehouse.query(MART_ROWS)
        night = start_night(warehouse, "--date", "2026-11-21")
        started = "usename = 'cw_transformer'"
        wait_for("dbt to start", lambda: _backend_process(warehouse, started) is not None, night, 900)
        holder = connection.connect(warehouse.url)
        with holder.cursor() as cur:  # held until the kill
            cur.execute("lock table marts.special_circumstances_by_province in share mode")
        read: list = []
        with warehouse.logins({"national": "analyst_national"}) as logins:
            waiting = "usename = 'cw_transformer' and wait_event_type = 'Lock'"
            found: list = []
            wait_for(
                "dbt waiting to replace the mart",
                lambda: found.append(_backend_process(warehouse, waiting)) or found[-1] is not None,
                night,
                900,
            )
            reader = threading.Thread(
                target=lambda: read.extend(warehouse.query(MART_ROWS, logins["national"]))
            )
            reader.start()
            time.sleep(1)
            found[-1].kill()
            killed_at = time.monotonic()
            holder.rollback()
            holder.close()
            reader.join(timeout=120)
        output = _finished(night)
        # Counted once the retry has built everything: while a build runs, dbt's table
        # materialisation commits the swap and only then drops `<model>__dbt_backup`, so a count taken
        # during the retry (the scheduler starts it within a second) can see a backup about to go.
        leftovers = warehouse.query(
            """select count(*) from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
               where n.nspname = 'marts'
                 and (c.relname like '%%__dbt_tmp' or c.relname like '%%__dbt_backup')"""
        )[0][0]
        recovery = time.monotonic() - killed_at
        lost, doubled = _same_as_clean(warehouse, clean_night)
        record(
            "kill-dbt",
            "dbt (the build_marts task) SIGKILLed while replacing a mart an analyst was reading",
            "each mart is replaced in one transaction with its grants and row security; the killed one "
            "rolls back, the analyst reads the previous mart whole; the task's retry builds all",
            f"the analyst read {len(read)} rows, equal to the mart before: {read == before}; "
            f"{leftovers} half-built tables left; run `{_said(output)}`",
            recovery,
            lost=lost,
            doubled=doubled,
        )
        assert read
        assert read == before
        assert leftovers == 0
    finally:
        warehouse.drop()


def test_the_probabilistic_linkage_killed_while_writing_its_links(clean_night, server_url, tools, tmp_path):
    warehouse = _fresh(clean_night, server_url, tools, tmp_path)
    try:
        with slowed(warehouse, "links.child_links", "update", 0.5) as remove:
            night = start_night(warehouse, "--date", NIGHT_DATE)
            writing = (
                "usename = 'cw_linker' and state = 'active' and query ilike '%update links.child_links%'"
            )
            killed_at = _kill_task(warehouse, night, "the probabilistic write-back", writing)
            remove()
        output = _finished(night)
        recovery = time.monotonic() - killed_at
        lost, doubled = _same_as_clean(warehouse, clean_night)
        record(
            "kill-linkage",
            "link_unlinked_records SIGKILLed while writing probabilistic links back",
            "its transaction rolls back; the files stay `matched_at` null; the retry links them",
            f"run `{_said(output)}`",
            recovery,
            lost=lost,
            doubled=doubled,
        )
    finally:
        warehouse.drop()


def test_postgresql_stopped_immediately_during_validation(clean_night, tools, tmp_path):
    """On a cluster of its own, since stopping the shared one would stop every other test."""
    from child_warehouse import settings
    from child_warehouse.db import cluster, template

    # a folder the postgres user can reach: the project's local one (.ci/run moves it if need be)
    own = cluster.EmbeddedCluster(settings.local_dir() / f"chaos-pg-{run_tag()}", cluster.free_port())
    try:
        cluster.start(own)
        server_url = own.url("postgres")
        template.ensure_template(server_url)
        warehouse = _fresh(clean_night, server_url, tools, tmp_path)
        night = start_night(warehouse, "--date", NIGHT_DATE)

        def validating() -> bool:
            found = statuses(warehouse)
            return found.get("loaded", 0) >= 1 and any(s.startswith("accepted") for s in found)

        wait_for("validation under way", validating, night, timeout=900)
        at_stop = statuses(warehouse)
        cluster.stop(own, mode="immediate")
        stopped_at = time.monotonic()
        time.sleep(10)
        cluster.start(own)
        output = _finished(night)
        # A task whose retries all struck while the database recovered (seen once under a loaded
        # test-all) leaves its files where it stopped; the design's promise is that the next run
        # finishes them, so that is what is checked, and the table says how many runs it took.
        left = {
            s: n
            for s, n in statuses(warehouse).items()
            if s not in {"accepted", "accepted_with_warnings", "rejected"}
        }
        if left:
            output += "\n" + warehouse.run("night").stdout
        recovery = time.monotonic() - stopped_at
        lost, doubled = _same_as_clean(warehouse, clean_night)
        record(
            "pg-immediate-stop",
            f"PostgreSQL stopped with `pg_ctl stop -m immediate` during validation (ledger {at_stop}), "
            "started 10 s later",
            "tasks in flight fail and Airflow retries them; crash recovery keeps every committed file; "
            "what a run's exhausted retries leave, the next run finishes",
            f"run `{_said(output)}`"
            + (f"; left {left} after the first run, finished by a second" if left else ""),
            recovery,
            lost=lost,
            doubled=doubled,
        )
    finally:
        with contextlib.suppress(Exception):
            cluster.stop(own, mode="immediate")
        import shutil

        shutil.rmtree(own.root, ignore_errors=True)


def test_two_runs_of_the_night_at_once(clean_night, server_url, tools, tmp_path):
    """A manual run while another is running: the DAG allows one active run, so the second waits,
    then finds nothing left to load and builds the same marts."""
    warehouse = _fresh(clean_night, server_url, tools, tmp_path)
    try:
        first = start_night(warehouse)
        wait_for("the first run's discovery", lambda: sum(statuses(warehouse).values()) > 0, first, 900)
        start = time.monotonic()
        second = warehouse.run("night")
        both = time.monotonic() - start
        output = _finished(first)
        lost, doubled = _same_as_clean(warehouse, clean_night)
        record(
            "two-runs",
            "a second manual run triggered while the first runs",
            "max_active_runs=1 queues it; it loads nothing twice and rebuilds the same marts",
            f"first `{_said(output)}`, second `{_said(second.stdout)}`",
            both,
            lost=lost,
            doubled=doubled,
        )
        assert warehouse.query("select count(distinct processed_run_id) from ledger.submissions") == [(1,)]
    finally:
        warehouse.drop()


def test_a_night_on_the_july_2025_boundary(clean_night, server_url, tools, tmp_path):
    """The night of 1 July 2025 (01:30 in Vietnam, still 30 June in UTC): which files count and how
    they map to provinces depends on their periods, never on the run's date."""
    warehouse = _fresh(clean_night, server_url, tools, tmp_path)
    try:
        start = time.monotonic()
        result = warehouse.run("night", "--date", "2025-07-01")
        took = time.monotonic() - start
        lost, doubled = _same_as_clean(warehouse, clean_night)
        record(
            "july-2025-night",
            "a run whose logical date is 2025-07-01 01:30 +07:00 (2025-06-30 18:30 UTC)",
            "the same files, provinces and marts as any other night",
            f"run `{_said(result.stdout)}`",
            took,
            lost=lost,
            doubled=doubled,
        )
    finally:
        warehouse.drop()


@contextlib.contextmanager
def small_tablespace(server_url: str, kib: int) -> Iterator[str]:
    """A tablespace on a tmpfs of `kib` KiB, on this machine's cluster; skips the test where no
    filesystem can be mounted (not root, no CAP_SYS_ADMIN) or the server is another machine's."""
    import pwd
    import subprocess

    from child_warehouse import settings
    from child_warehouse.db import connection

    if settings.external_db_url() is not None:
        pytest.skip("the tablespace must be on the database server's machine")
    folder = settings.local_dir() / f"chaos-ts-{run_tag()}"
    folder.mkdir(parents=True, exist_ok=True)
    owner = pwd.getpwnam("postgres")
    options = f"size={kib}k,uid={owner.pw_uid},gid={owner.pw_gid},mode=0700"
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    admin = connection.connect(server_url)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f"create tablespace chaos_small location '{folder}'")
        yield "chaos_small"
    finally:
        with contextlib.suppress(Exception), admin.cursor() as cur:  # not empty if the test failed early
            cur.execute("drop tablespace if exists chaos_small")
        admin.close()
        subprocess.run(["umount", str(folder)], check=False)  # noqa: S607
        folder.rmdir()


def test_the_disk_fills_up_during_a_load(clean_night, server_url, tools, tmp_path):
    """raw.child_records on a filesystem with room for one 8 KiB page: the load that needs a second
    one fails with PostgreSQL's 'No space left on device'. The file is marked load_failed with that
    reason and nothing of it stays; space is freed (the table moved back), and the task's retry in
    the same run loads it."""
    warehouse = _fresh(clean_night, server_url, tools, tmp_path)
    try:
        with small_tablespace(server_url, 8) as tablespace:
            warehouse.query(f"alter table raw.child_records set tablespace {tablespace}; select 1")
            night = start_night(warehouse, "--date", NIGHT_DATE)
            wait_for("a load failing", lambda: statuses(warehouse).get("load_failed", 0) > 0, night, 900)
            failed_at = time.monotonic()
            (reason,) = warehouse.query(
                "select reason_en from ledger.submissions where status = 'load_failed' limit 1"
            )[0]
            partial = warehouse.query(
                """select count(*) from raw.child_records as r join ledger.submissions as s
                   using (submission_id) where s.status = 'load_failed'"""
            )[0][0]
            warehouse.query(
                "alter table raw.child_records set tablespace pg_default; select 1"
            )  # space freed
        output = _finished(night)
        recovery = time.monotonic() - failed_at
        lost, doubled = _same_as_clean(warehouse, clean_night)
        record(
            "disk-full",
            "raw.child_records' filesystem full during a load (tmpfs of 8 KiB); space freed after",
            "the file is load_failed with the database's reason, nothing of it kept; the retry loads it",
            f"reason `{reason[:90]}`; {partial} rows of it kept; run `{_said(output)}`",
            recovery,
            lost=lost,
            doubled=doubled,
        )
        assert "No space left on device" in reason
        assert partial == 0
    finally:
        warehouse.drop()
