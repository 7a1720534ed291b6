"""Peak memory per stage: PSS of the benchmark's process tree and of the PostgreSQL server's processes.

PSS (proportional set size) counts a shared page once across the processes sharing it, so
PostgreSQL's shared buffers are not counted once per backend as a sum of RSS would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

MIB = 1024 * 1024


@dataclass
class Peak:
    """The largest sample seen, in MiB: the bench tree, the server, and both at one instant."""

    bench_mib: float = 0.0
    server_mib: float = 0.0
    total_mib: float = 0.0

    def update(self, bench: float, server: float) -> None:
        self.bench_mib = max(self.bench_mib, bench)
        self.server_mib = max(self.server_mib, server)
        self.total_mib = max(self.total_mib, bench + server)

    def merge(self, other: Peak) -> None:
        self.bench_mib = max(self.bench_mib, other.bench_mib)
        self.server_mib = max(self.server_mib, other.server_mib)
        self.total_mib = max(self.total_mib, other.total_mib)


def postmaster_pid(data_dir: Path | None) -> int | None:
    """The embedded cluster's postmaster (first line of postmaster.pid); None for an external server."""
    if data_dir is None or not (data_dir / "postmaster.pid").exists():
        return None
    return int((data_dir / "postmaster.pid").read_text().splitlines()[0])


def _tree_pss(root: psutil.Process) -> float:
    total = 0
    for process in [root, *root.children(recursive=True)]:
        try:
            info = process.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return total / MIB


class MemorySampler:
    """A background thread sampling both trees every `interval` seconds; `stage()` scopes a peak."""

    def __init__(self, server_pid: int | None, interval: float = 0.25) -> None:
        self._me = psutil.Process()
        self._server = psutil.Process(server_pid) if server_pid else None
        self._interval = interval
        self._stop = threading.Event()
        self._peaks: list[Peak] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    @property
    def measures_server(self) -> bool:
        return self._server is not None

    def sample(self) -> None:
        bench = _tree_pss(self._me)
        server = _tree_pss(self._server) if self._server else 0.0
        with self._lock:
            for peak in self._peaks:
                peak.update(bench, server)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.sample()

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @contextmanager
    def stage(self) -> Iterator[Peak]:
        """Yield a Peak that holds the largest samples taken while the block runs."""
        peak = Peak()
        with self._lock:
            self._peaks.append(peak)
        self.sample()
        try:
            yield peak
        finally:
            self.sample()
            with self._lock:
                self._peaks.remove(peak)
