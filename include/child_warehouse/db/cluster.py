"""The embedded PostgreSQL cluster: a private server under the project's local folder.

Started from the machine's PostgreSQL binaries with initdb/pg_ctl. When the process runs as
root (CI, containers) the server runs as the `postgres` system user, since initdb refuses root.
Nothing here is used when CHILD_WAREHOUSE_DB_URL names an external server.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from child_warehouse import settings

SERVER_USER = "postgres"
_DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"


class ClusterError(RuntimeError):
    """The embedded cluster could not be prepared or started."""


@dataclass(frozen=True)
class EmbeddedCluster:
    """Paths and connection facts of one embedded cluster."""

    root: Path
    port: int
    superuser: str = settings.embedded_superuser()

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    @property
    def password_file(self) -> Path:
        return self.root / "superuser.password"

    def password(self) -> str:
        if not self.password_file.exists():
            raise ClusterError(
                f"The embedded PostgreSQL under {self.root} has not been created yet: run `make db` "
                "(or `child-warehouse db init`), or set CHILD_WAREHOUSE_DB_URL to an external server."
            )
        return self.password_file.read_text().strip()

    def url(self, dbname: str) -> str:
        parts = settings.DatabaseParts("127.0.0.1", self.port, self.superuser, self.password(), dbname)
        return settings.join_db_url(parts)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now, for a private cluster of its own (checks, drills, tests)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def default_cluster() -> EmbeddedCluster:
    return EmbeddedCluster(root=settings.local_dir() / "postgres", port=settings.embedded_port())


def find_binary(name: str) -> str:
    """Locate a PostgreSQL server binary: the setting, then Debian's versioned folder, then PATH."""
    configured = settings.pg_bin_dir()
    candidates = [configured / name] if configured else []
    candidates += sorted(Path("/").glob(_DEBIAN_BIN_GLOB.lstrip("/") + "/" + name), reverse=True)
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise ClusterError(
        f"PostgreSQL's {name} was not found. Install PostgreSQL 15 (Debian: apt-get install "
        "postgresql-15) or set CHILD_WAREHOUSE_PG_BIN to the folder holding initdb and pg_ctl."
    )


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _as_server_user(args: list[str]) -> list[str]:
    if not _running_as_root():
        return args
    return ["runuser", "-u", SERVER_USER, "--", *args]


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(_as_server_user(args), capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        raise ClusterError(f"{' '.join(args[:2])} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result


def _check_reachable_by_server_user(folder: Path) -> None:
    """As root, the postgres user must be able to enter every folder down to the cluster."""
    if not _running_as_root():
        return
    probe = subprocess.run(["runuser", "-u", SERVER_USER, "--", "test", "-x", str(folder)], check=False)  # noqa: S607
    if probe.returncode != 0:
        raise ClusterError(
            f"The '{SERVER_USER}' system user cannot reach {folder}: a folder above it is closed to "
            "other users (for example a clone under /root). Clone the project under a folder other "
            "users can enter, set CHILD_WAREHOUSE_LOCAL_DIR to such a folder, or set "
            "CHILD_WAREHOUSE_DB_URL to an external server."
        )


def _hand_to_server_user(path: Path) -> None:
    if _running_as_root():
        entry = pwd.getpwnam(SERVER_USER)
        for item in [path, *path.rglob("*")]:
            os.chown(item, entry.pw_uid, entry.pw_gid)


def initialise(cluster: EmbeddedCluster) -> bool:
    """Create the cluster's data folder once; return False when it already existed."""
    if (cluster.data_dir / "PG_VERSION").exists():
        return False
    cluster.root.mkdir(parents=True, exist_ok=True)
    _check_reachable_by_server_user(cluster.root)
    if not cluster.password_file.exists():
        cluster.password_file.write_text(secrets.token_urlsafe(24) + "\n")
    cluster.password_file.chmod(0o600)
    pwfile = cluster.root / ".initdb-pw"
    shutil.copyfile(cluster.password_file, pwfile)
    _hand_to_server_user(cluster.root)
    try:
        _run(
            [
                find_binary("initdb"),
                "-D",
                str(cluster.data_dir),
                "-U",
                cluster.superuser,
                f"--pwfile={pwfile}",
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--lc-collate=C",  # as connection.CREATE_DATABASE_OPTIONS makes the warehouse
                "--no-instructions",
            ]
        )
    finally:
        pwfile.unlink(missing_ok=True)
    _write_server_config(cluster)
    return True


def _write_server_config(cluster: EmbeddedCluster) -> None:
    conf = cluster.data_dir / "postgresql.auto.conf"
    with conf.open("a") as handle:
        handle.write(
            f"listen_addresses = '127.0.0.1'\nport = {cluster.port}\n"
            f"unix_socket_directories = ''\nmax_connections = 200\n"
            "shared_buffers = '256MB'\nwork_mem = '64MB'\nmaintenance_work_mem = '256MB'\n"
            "max_wal_size = '2GB'\nsynchronous_commit = off\n"
        )


def is_running(cluster: EmbeddedCluster) -> bool:
    if not (cluster.data_dir / "PG_VERSION").exists():
        return False
    result = subprocess.run(
        _as_server_user([find_binary("pg_ctl"), "status", "-D", str(cluster.data_dir)]),
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0


@contextmanager
def _exclusive(cluster: EmbeddedCluster) -> Iterator[None]:
    """One process at a time prepares or starts a cluster (parallel test workers race for it)."""
    cluster.root.parent.mkdir(parents=True, exist_ok=True)
    with (cluster.root.parent / f".{cluster.root.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def start(cluster: EmbeddedCluster) -> str:
    """Initialise if needed and start; returns what happened, for the operator to read."""
    with _exclusive(cluster):
        created = initialise(cluster)
        if is_running(cluster):
            return f"PostgreSQL already running on 127.0.0.1:{cluster.port}"
        _run(
            [
                find_binary("pg_ctl"),
                "start",
                "-D",
                str(cluster.data_dir),
                "-l",
                str(cluster.log_file),
                # The port is the cluster's setting at every start, not only the one initdb wrote.
                "-o",
                f"-p {cluster.port}",
                "-w",
                "-t",
                "60",
            ]
        )
        _wait_until_accepting(cluster)
    action = "initialised and started" if created else "started"
    return f"PostgreSQL {action} on 127.0.0.1:{cluster.port} (data in {cluster.data_dir})"


def _wait_until_accepting(cluster: EmbeddedCluster, timeout_s: float = 30.0) -> None:
    import psycopg2

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            psycopg2.connect(cluster.url("postgres"), connect_timeout=2).close()
            return
        except psycopg2.OperationalError as error:
            if time.monotonic() > deadline:
                raise ClusterError(f"PostgreSQL did not accept connections: {error}") from error
            time.sleep(0.2)


def stop(cluster: EmbeddedCluster, mode: str = "fast") -> str:
    """Stop the cluster: `fast` (sessions ended, a clean shutdown) or `immediate` (as a crash would:
    recovery from the write-ahead log at the next start)."""
    with _exclusive(cluster):
        if not is_running(cluster):
            return "PostgreSQL is not running"
        _run([find_binary("pg_ctl"), "stop", "-D", str(cluster.data_dir), "-m", mode, "-w"])
    return "PostgreSQL stopped"
