"""Helpers the test folders share: databases beside the test server, isolated warehouses, a webhook."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from child_warehouse import settings

# What a developer's shell may set that an isolated warehouse must not inherit.
_INHERITED = (
    "AIRFLOW_HOME",
    "AIRFLOW__CORE__UNIT_TEST_MODE",
    "CHILD_WAREHOUSE_ALERT_WEBHOOK",
    "CHILD_WAREHOUSE_LINEAGE_URL",
)


def database_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server at `server_url`."""
    parts = settings.split_db_url(server_url)
    return settings.join_db_url(
        settings.DatabaseParts(parts.host, parts.port, parts.user, parts.password, name)
    )


def isolated_env(url: str, root: Path, pseudonym_key: str, **variables: str) -> dict[str, str]:
    """The environment of a whole warehouse of its own: database `url`, everything else under `root`."""
    env = {
        **os.environ,
        "CHILD_WAREHOUSE_DB_URL": url,
        "CHILD_WAREHOUSE_LOCAL_DIR": str(root / "local"),
        "CHILD_WAREHOUSE_LANDING_ROOT": str(root / "landing"),
        "CHILD_WAREHOUSE_DBT_TARGET_DIR": str(root / "dbt_target"),
        "CHILD_WAREHOUSE_PSEUDONYM_KEY": pseudonym_key,
    }
    for name in _INHERITED:
        env.pop(name, None)
    return {**env, **variables}


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[dict]]]:
    """A local HTTP endpoint: its URL, and the JSON bodies POSTed to it, in order of arrival."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()


def land(root: Path, relative: str | Path, content: str | bytes) -> Path:
    """Write a file into a landing folder as a province would, creating its folders."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


PARTIAL_PARSE = "partial_parse.msgpack"


def run_dbt(url: str, target: Path, *args: str) -> None:
    """`child-warehouse dbt <args>` against the warehouse at `url`, its artefacts in `target`; fails
    the test with dbt's own output when dbt fails."""
    result = dbt_command(url, target, *args)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def dbt_command(url: str, target: Path, *args: str):
    """`child-warehouse dbt <args>` as run_dbt runs it, whatever its outcome (a CompletedProcess).

    dbt runs in this process (dbt's own programmatic entry, `dbtRunner`, as Cosmos's dbt-runner mode
    runs it in a task), with the arguments and environment the command gives it: about 2.5 s less
    than a process of its own per call (Python, dbt's imports), and the tests call dbt some thirty
    times. The command itself runs in every test run (`child-warehouse dbt parse`, run_tools); the
    nights run dbt through Cosmos.

    A new `target` starts from the last partial parse this process kept for the same `url`: dbt's own
    check (project files, profile, versions) decides whether it still holds, and parses afresh when
    not. A whole parse of the project costs about 4 s more than one that reuses the last."""
    import shutil

    kept = _partial_parse_kept(url)
    target.mkdir(parents=True, exist_ok=True)
    if kept is not None and kept.exists() and not (target / PARTIAL_PARSE).exists():
        shutil.copyfile(kept, target / PARTIAL_PARSE)
    result = _dbt_in_process(url, target, list(args))
    if kept is not None and (target / PARTIAL_PARSE).exists():
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target / PARTIAL_PARSE, kept)
    return result


def _dbt_in_process(url: str, target: Path, args: list[str]):
    import contextlib
    import io
    import subprocess

    from dbt.cli.main import dbtRunner

    from child_warehouse.cli import dbt_arguments
    from child_warehouse.orchestration.environment import dbt_environment

    saved = dict(os.environ)
    output = io.StringIO()
    try:
        os.environ.update({"CHILD_WAREHOUSE_DB_URL": url, "CHILD_WAREHOUSE_DBT_TARGET_DIR": str(target)})
        # plain text, no colour codes: the tests read its lines (" FAIL ")
        arguments = dbt_arguments([*args[:1], "--no-use-colors", *args[1:]])
        os.environ.update(dbt_environment(needs_database=args[:1] != ["parse"]))
        with contextlib.redirect_stdout(output):
            outcome = dbtRunner().invoke(arguments)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    failure = "" if outcome.exception is None else f"{type(outcome.exception).__name__}: {outcome.exception}"
    status = 0 if outcome.success else 1
    return subprocess.CompletedProcess(["dbt", *args], status, output.getvalue(), failure)


def _partial_parse_kept(url: str) -> Path | None:
    """Where this test process keeps dbt's partial parse for one warehouse (None outside pytest)."""
    import hashlib

    folder = os.environ.get("CW_TEST_DBT_PARSE_CACHE")
    if not folder:
        return None
    return Path(folder) / hashlib.sha256(url.encode()).hexdigest()[:16] / PARTIAL_PARSE
