"""Least privilege for the pipeline itself: every task of a real night ran as its stage's login (read
from the task logs), and connected as each login, a stage cannot touch what is not its own."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg2
import pytest

from child_warehouse.db.roles import GROUPS, login_name, stage_url

pytestmark = pytest.mark.e2e

# Task → the login its log must name as current_user (dbt: its sessions start as the group).
EXPECTED = {
    "discover_submissions": "cw_loader",
    "load_and_validate_province": "cw_loader",
    "refresh_statistics": "cw_loader",
    "link_by_id": "cw_linker",
    "link_unlinked_records": "cw_linker",
    "write_feedback": "cw_loader",
    "record_run_summary": "cw_loader",
    "alert_needs_attention": "cw_loader",
    "build_marts": "transformer",
    "suggest_publication": "cw_publisher",
}


def _task_logs(warehouse) -> dict[str, str]:
    logs: dict[str, str] = {}
    for path in (Path(warehouse.root) / "local" / "airflow" / "logs").rglob("*.log"):
        found = re.search(r"task_id=([^/]+)", str(path))
        if found and "dag_id=nightly_load" in str(path):
            logs[found.group(1)] = logs.get(found.group(1), "") + path.read_text(errors="replace")
    return logs


def test_every_task_of_the_night_says_it_ran_as_its_stages_login(clean_night):
    logs = _task_logs(clean_night)
    for task, login in EXPECTED.items():
        roles = set(re.findall(r"Database role: current_user (\w+)", logs.get(task, "")))
        assert roles == {login}, f"{task}: {roles or 'no Database role line'}"
    assert "warehouse_admin" not in "".join(re.findall(r"Database role: [^\n]*", "".join(logs.values())))


def _attempt(url: str, statement: str) -> str:
    """'ok', or the SQLSTATE class of the error (42: insufficient privilege and the like)."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
        return "ok"
    except psycopg2.Error as error:
        return error.pgcode or "error"
    finally:
        conn.rollback()
        conn.close()


DENIED = "42501"
# (group, statement, expected): what each login may and may not do; every statement is rolled back.
LIMITS = [
    ("loader", "select 1 from raw.child_records limit 1", "ok"),
    ("loader", "update ledger.submissions set status = status where false", "ok"),
    ("loader", "select 1 from register.persons limit 1", DENIED),
    ("loader", "delete from links.child_links", DENIED),
    ("loader", "select 1 from marts.special_circumstances_by_province limit 1", DENIED),
    ("loader", "select 1 from core.fct_child_status limit 1", DENIED),
    ("loader", "insert into ops.analyst_provinces (role_name, province_code) values ('x', '01')", DENIED),
    ("loader", "delete from ops.schema_migrations", DENIED),
    ("linker", "select 1 from register.persons limit 1", "ok"),
    ("linker", "update ledger.submissions set linked_at = linked_at where false", "ok"),
    ("linker", "delete from register.persons", DENIED),
    ("linker", "update ledger.submissions set status = 'accepted' where false", DENIED),
    ("linker", "delete from raw.child_records", DENIED),
    ("linker", "insert into links.review_decisions (province_code, record_id) values ('01', 'x')", DENIED),
    ("linker", "select 1 from marts.special_circumstances_by_province limit 1", DENIED),
    ("registrar", "select 1 from register.persons limit 1", "ok"),
    ("registrar", "select 1 from raw.child_records limit 1", DENIED),
    ("registrar", "select 1 from ledger.submissions limit 1", DENIED),
    ("transformer", "select 1 from raw.child_records limit 1", "ok"),
    ("transformer", "select count(*) from marts.special_circumstances_by_province", "ok"),
    ("transformer", "select 1 from register.persons limit 1", DENIED),
    ("transformer", "delete from raw.child_records", DENIED),
    ("transformer", "update ledger.submissions set status = status", DENIED),
    ("transformer", "delete from links.child_links", DENIED),
    ("transformer", "create schema scratch", DENIED),
    ("transformer", "select 1 from release.mart_rows limit 1", DENIED),
    ("publisher", "select count(*) from marts.provincial_scorecard_today", "ok"),
    ("publisher", "select 1 from ledger.signoffs limit 1", "ok"),
    ("publisher", "select 1 from raw.child_records limit 1", DENIED),
    ("publisher", "select 1 from register.persons limit 1", DENIED),
    ("publisher", "select 1 from core.fct_child_status limit 1", DENIED),
    ("publisher", "select 1 from links.child_links limit 1", DENIED),
    ("publisher", "update ledger.signoffs set status = status", DENIED),
    ("publisher", "delete from release.mart_rows", DENIED),  # append-only, whoever asks
    ("loader", "select 1 from release.mart_rows limit 1", DENIED),
]


@pytest.mark.parametrize(("group", "statement", "expected"), LIMITS)
def test_each_pipeline_login_reaches_only_its_own(night, group, statement, expected):
    assert _attempt(stage_url(group, night.url), statement) == expected


def test_no_pipeline_login_is_privileged_or_bypasses_row_security(night):
    found = night.query(
        """select r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
                  array(select g.rolname from pg_auth_members as m join pg_roles as g on g.oid = m.roleid
                        where m.member = r.oid order by 1)
           from pg_roles as r where r.rolname = any(%s) order by 1""",
        None,
        ([login_name(g) for g in GROUPS],),
    )
    assert found == sorted((login_name(g), False, False, False, False, [g]) for g in GROUPS)


def test_the_marts_belong_to_the_transformer_and_force_row_security(night):
    owners = night.query(
        """select distinct pg_get_userbyid(c.relowner) from pg_class as c
           join pg_namespace as n on n.oid = c.relnamespace
           where n.nspname in ('staging', 'intermediate', 'core', 'marts') and c.relkind in ('r', 'v')"""
    )
    assert owners == [("transformer",)]
    unforced = night.query(
        """select c.relname from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
           where n.nspname = 'marts' and c.relkind = 'r'
             and not (c.relrowsecurity and c.relforcerowsecurity)"""
    )
    assert unforced == []


def test_the_linker_owns_and_analyses_the_links_it_writes(clean_night):
    """The linker analyses links.child_links after each linking step (a non-owner's ANALYZE is
    skipped with a warning and leaves last_analyze empty), so the probabilistic step and dbt plan
    with the night's submissions. The clean night itself: a copied database starts without statistics."""
    found = clean_night.query(
        """select pg_get_userbyid(c.relowner), s.last_analyze is not null
           from pg_class as c join pg_stat_user_tables as s on s.relid = c.oid
           where c.oid = 'links.child_links'::regclass"""
    )
    assert found == [("linker", True)]
    logs = _task_logs(clean_night)
    assert "analysed links.child_links" in logs["link_by_id"]
    assert "analysed links.child_links" in logs["link_unlinked_records"]
