"""Whole warehouses for end-to-end tests: a database, a landing zone, an Airflow home and a dbt target
of their own, driven through the `child-warehouse` command exactly as an engineer drives one.

A fresh warehouse's database is a copy of the migrated, seeded template (child_warehouse.db.template);
its Airflow home starts as a copy of one migrated Airflow database and its dbt target as a copy of one
compiled manifest, both made once per test run. A warehouse after a night can itself be copied
(`clone`), so tests that change it never change the night other tests read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from psycopg2 import sql

from child_warehouse.db import connection, template
from support import database_url, isolated_env

CLI = str(Path(sys.executable).parent / "child-warehouse")
# The narrow night every end-to-end test starts from: Hà Nội (unchanged by the reform, UTF-8 with a
# BOM), Nghệ An (VNI), Đắk Lắk (Đắk Lắk and Phú Yên merged) and Hồ Chí Minh City (three provinces
# merged, TCVN3 with Vietnamese headers); with the 2022 reports of the seven provinces before the reform.
NARROW_PROVINCES = ("01", "40", "66", "79")
CLEAN_NIGHT = "clean-night"  # the run's night of the narrow sample (the `clean_night` fixture)
CHILDREN_PER_PROVINCE = 12
NIGHT_DATE = "2026-11-20"


def run_tag() -> str:
    """This test run's tag: every database the run makes is named `cwt_<tag>_…` and dropped at its end."""
    return os.environ["CW_TEST_RUN"]


def database_name(purpose: str) -> str:
    import uuid

    return f"cwt_{run_tag()}_{purpose}_{uuid.uuid4().hex[:6]}"


@contextmanager
def exclusive(lock_file: Path):
    """One process at a time (parallel test workers) past this point."""
    import fcntl

    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def shared_once(folder: Path, name: str, build: Callable[[], dict]) -> dict:
    """`build()`'s answer, computed by the first worker that asks and read back by the others."""
    answer = folder / f"{name}.json"
    with exclusive(folder / f"{name}.lock"):
        if not answer.exists():
            answer.write_text(json.dumps(build()), encoding="utf-8")
        return json.loads(answer.read_text(encoding="utf-8"))


@dataclass
class Warehouse:
    """One whole warehouse of its own, driven through the command."""

    server_url: str
    name: str
    root: str
    key: str
    landing: str
    variables: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return database_url(self.server_url, self.name)

    @property
    def env(self) -> dict[str, str]:
        # a variable given to the warehouse (a copy's own landing zone) overrides the default
        return isolated_env(
            self.url,
            Path(self.root),
            self.key,
            **{"CHILD_WAREHOUSE_LANDING_ROOT": self.landing, **self.variables},
        )

    @property
    def truth(self) -> Path:
        return Path(self.landing).parent / "sample" / "truth"

    @property
    def dbt_target(self) -> Path:
        return Path(self.root) / "dbt_target"

    def run(self, *args: str, timeout: float = 1200) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [CLI, *args], env=self.env, capture_output=True, text=True, check=False, timeout=timeout
        )
        assert result.returncode == 0, (
            f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        return result

    def query(self, query, url: str | None = None, params: tuple | dict | None = None) -> list[tuple]:
        with connection.transaction(url or self.url) as conn, conn.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall()

    def drop(self) -> None:
        connection.drop_database(self.name, self.server_url)

    @contextmanager
    def logins(self, members: dict[str, str], province: str | None = None) -> Iterator[dict[str, str]]:
        """Login roles in the given group roles ({kind: group}), a provincial analyst seeing `province`;
        yields {kind: URL}; the roles are dropped after (they are the cluster's, not the database's)."""
        import secrets
        import uuid

        from child_warehouse import settings

        suffix = uuid.uuid4().hex[:6]
        roles = {kind: (f"test_{kind}_{suffix}", secrets.token_hex(12)) for kind in members}
        admin = connection.connect(self.url)
        admin.autocommit = True
        try:
            with admin.cursor() as cur:
                for kind, (name, password) in roles.items():
                    cur.execute(
                        f'create role "{name}" login password %s in role {members[kind]}', (password,)
                    )
                    if members[kind] == "analyst_province":
                        cur.execute(
                            "insert into ops.analyst_provinces (role_name, province_code) values (%s, %s)",
                            (name, province),
                        )
            parts = settings.split_db_url(self.url)
            yield {
                kind: settings.join_db_url(
                    settings.DatabaseParts(parts.host, parts.port, name, pw, parts.dbname)
                )
                for kind, (name, pw) in roles.items()
            }
        finally:
            with admin.cursor() as cur:
                cur.execute("delete from ops.analyst_provinces where role_name like %s", (f"%{suffix}",))
                for name, _ in roles.values():
                    cur.execute(f'drop owned by "{name}"; drop role if exists "{name}"')
            admin.close()

    def to_json(self) -> dict:
        return asdict(self)


def _prepared_home(root: Path, tools: dict) -> None:
    """A warehouse's Airflow home and dbt target, from the run's migrated Airflow DB and manifest."""
    home = root / "local" / "airflow"
    home.mkdir(parents=True)
    shutil.copyfile(tools["airflow_db"], home / "airflow.db")
    target = root / "dbt_target"
    target.mkdir(parents=True)
    for name in ("manifest.json", "partial_parse.msgpack"):
        if (Path(tools["dbt_target"]) / name).exists():
            shutil.copyfile(Path(tools["dbt_target"]) / name, target / name)


def fresh(server_url: str, root: Path, tools: dict, *, key: str, variables: dict | None = None) -> Warehouse:
    """A fresh warehouse: an empty landing zone, a migrated and seeded database, Airflow ready."""
    warehouse = Warehouse(
        server_url, database_name("wh"), str(root), key, str(root / "landing"), dict(variables or {})
    )
    template.create_database(warehouse.name, server_url)
    _prepared_home(root, tools)
    return warehouse


def prepare(
    server_url: str,
    root: Path,
    tools: dict,
    *,
    key: str,
    provinces: tuple[str, ...] | None = NARROW_PROVINCES,
    variables: dict[str, str] | None = None,
) -> Warehouse:
    """A fresh warehouse with the sample landed (the narrow one, or every province with `provinces=None`)
    and its register loaded, ready for a night."""
    warehouse = fresh(server_url, root, tools, key=key, variables=variables)
    chosen = ["--provinces", ",".join(provinces)] if provinces else []
    warehouse.run(
        "sample",
        "--out",
        str(root / "sample"),
        "--children-per-province",
        str(CHILDREN_PER_PROVINCE),
        *chosen,
    )
    return warehouse


def clone(original: Warehouse, root: Path, **variables: str) -> Warehouse:
    """A copy of a warehouse after its nights: its database, Airflow metadata and pseudonym key.

    The landing zone is shared (a copy must not change it); the original must have no open
    connection while it is copied, which holds for a warehouse whose nights are over.
    """
    copy = Warehouse(
        original.server_url,
        database_name("clone"),
        str(root),
        original.key,
        original.landing,
        {**original.variables, **variables},
    )
    template.create_database(copy.name, original.server_url, template=original.name)
    home = root / "local" / "airflow"
    home.mkdir(parents=True)
    shutil.copyfile(Path(original.root) / "local" / "airflow" / "airflow.db", home / "airflow.db")
    shutil.copytree(original.dbt_target, copy.dbt_target, ignore=shutil.ignore_patterns("logs", "run"))
    return copy


def run_tools(folder: Path, server_url: str) -> dict:
    """Made once per test run: the template warehouse, a migrated Airflow DB and dbt's manifest."""

    def build() -> dict:
        template.ensure_template(server_url)
        tools = folder / "tools"
        # Airflow's home is <local>/airflow; dbt parses without connecting.
        env = isolated_env("postgresql://unused@127.0.0.1:9/unused", tools, "unused")
        home, target = tools / "local" / "airflow", tools / "dbt_target"
        for args in (["airflow", "db", "migrate"], ["dbt", "parse", "--quiet"]):
            result = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, check=False)
            assert result.returncode == 0, f"{args}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
        return {"airflow_db": str(home / "airflow.db"), "dbt_target": str(target)}

    return shared_once(folder, "run-tools", build)


def night_key(folder: Path, name: str) -> str:
    """The pseudonym key of the run's night `name`, known before the night is: a test that runs the
    same sample through a night of its own (and compares the links) need not wait for it."""
    import secrets

    return shared_once(folder, f"{name}-key", lambda: {"key": secrets.token_hex(32)})["key"]


def run_a_night(folder, server_url, tools, name: str, provinces, **variables: str) -> Warehouse:
    """A night of the sample (the given provinces, or all) run once per test run, by whichever worker
    asks first, and read back by the others."""

    def build() -> dict:
        warehouse = prepare(
            server_url,
            folder / name,
            tools,
            key=night_key(folder, name),
            provinces=provinces,
            variables=variables,
        )
        warehouse.run("night", "--date", NIGHT_DATE)
        return warehouse.to_json()

    return Warehouse(**shared_once(folder, name, build))


def marts_snapshot(
    warehouse: Warehouse,
    url: str | None = None,
    skip_tables: frozenset[str] = frozenset(),
    skip_columns: frozenset[str] = frozenset(),
) -> dict[str, list[tuple]]:
    """Every mart's rows, sorted, without timestamps (and without the tables and columns named)."""
    columns = warehouse.query(
        """select table_name, column_name from information_schema.columns
           where table_schema = 'marts' and data_type not like 'timestamp%'
           order by table_name, ordinal_position""",
        url,
    )
    tables: dict[str, list[str]] = {}
    for table, column in columns:
        if table not in skip_tables and column not in skip_columns:
            tables.setdefault(table, []).append(column)
    snapshot = {}
    for table, names in tables.items():
        query = sql.SQL("select {} from {} order by {}").format(
            sql.SQL(", ").join(map(sql.Identifier, names)),
            sql.Identifier("marts", table),
            sql.SQL(", ").join(sql.Literal(i + 1) for i in range(len(names))),
        )
        snapshot[table] = warehouse.query(query, url)
    return snapshot
