"""The embedded cluster: processes racing to start it (parallel test workers) start it once."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid

from child_warehouse import settings
from child_warehouse.db import cluster

RACE = """
import sys
from pathlib import Path
from child_warehouse.db import cluster
print(cluster.start(cluster.EmbeddedCluster(root=Path(sys.argv[1]), port=int(sys.argv[2]))))
"""


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_two_processes_starting_a_new_cluster_at_once_both_get_it_running():
    # Under the local folder: as root, the postgres user must be able to reach the cluster's folder.
    root = settings.local_dir() / f"race-{uuid.uuid4().hex[:8]}" / "postgres"
    port = _free_port()
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(root), str(port)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        said = sorted(racer.communicate(timeout=120)[0].strip() for racer in racers)
        assert [racer.returncode for racer in racers] == [0, 0]
        assert said[0].startswith("PostgreSQL already running"), said
        assert said[1].startswith("PostgreSQL initialised and started"), said
        assert cluster.is_running(cluster.EmbeddedCluster(root=root, port=port))
    finally:
        cluster.stop(cluster.EmbeddedCluster(root=root, port=port))
        shutil.rmtree(root.parent, ignore_errors=True)
