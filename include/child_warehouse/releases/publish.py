"""Releases: immutable snapshots of the analyst marts for a set of periods, and their revisions.

`stage_candidate` copies the live (provisional) marts rows of the periods into a temporary table, with
what they were made from (the accepted file current for each province, period and type, and the
province's sign-off). Its fingerprint is what the reviewer approves: `publish` refuses to publish when
the marts changed after the reviewer was shown them (a night ran in between), so what is published is
exactly what was approved.

A release is append-only (migration 0018: no update, delete or truncate, whoever asks). Each figure
that differs from the period's previous release is a revision, with its reason:

- resubmission: a file of the row's province (or of a province merged into it) for the period changed;
- boundary_change: no file changed, but the reference lists (provinces, communes, crosswalks) did;
- reprocess: same files, same boundaries, derived again (a model or linkage change, a reprocess).

Analysts read the latest release of each period through the `published` views (security_invoker, so
row-level security holds for them), the revisions through `published.revisions`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from psycopg2 import sql

from child_warehouse.releases.marts import Mart, released_marts

log = logging.getLogger(__name__)

REFERENCE_TABLES = ("provinces", "communes", "province_crosswalk_2025", "commune_crosswalk_2025")


class StaleCandidate(RuntimeError):
    """The marts changed after the reviewer saw them: publishing now would publish something else."""


@dataclass(frozen=True)
class Release:
    release_id: int
    release_number: int
    periods: list[str]
    rows_published: int
    revisions: int
    content_sha256: str


def _stage_mart(cur, mart: Mart, periods: list[str]) -> None:
    key = sql.SQL(", ").join(sql.SQL("{}, m.{}").format(sql.Literal(c), sql.Identifier(c)) for c in mart.key)
    cur.execute(
        sql.SQL(
            """insert into candidate_rows (mart, province_code, period, row_key, row_values)
               select {mart}, m.province_code, m.period, jsonb_build_object({key}), to_jsonb(m)
               from marts.{table} as m where m.period = any(%(periods)s)"""
        ).format(mart=sql.Literal(mart.name), key=key, table=sql.Identifier(mart.name)),
        {"periods": periods},
    )


_BASIS = """
create temporary table candidate_basis on commit drop as
select s.province_code, s.period, s.submission_type, s.submission_id, s.sha256,
       (select o.signoff_id from ledger.signoffs as o
        where o.province_code = s.province_code and o.period = s.period and o.status = 'approved'
          and s.submission_id = any(o.submission_ids)
        order by o.signoff_id desc limit 1) as signoff_id
from ledger.submissions as s
where s.period = any(%(periods)s) and s.status in ('accepted', 'accepted_with_warnings')
  and s.version = (select max(v.version) from ledger.submissions as v
                   where v.province_code = s.province_code and v.period = s.period
                     and v.submission_type = s.submission_type)
"""

_PERIOD_FINGERPRINTS = """
select p.period,
       encode(sha256(convert_to(
           coalesce((select string_agg(c.mart || c.row_key::text || c.row_values::text, E'\\n'
                                       order by c.mart, c.row_key::text)
                     from candidate_rows as c where c.period = p.period), '')
           || coalesce((select string_agg(b.province_code || b.submission_type || b.sha256, E'\\n'
                                          order by b.province_code, b.submission_type)
                        from candidate_basis as b where b.period = p.period), ''),
           'UTF8')), 'hex')
from unnest(%(periods)s::text[]) as p (period)
order by p.period
"""


def stage_candidate(conn, periods: list[str]) -> dict[str, str]:
    """The periods' live mart rows and basis in temporary tables (dropped at commit); each period's
    fingerprint. Run inside the transaction that reads or publishes them."""
    with conn.cursor() as cur:
        cur.execute(
            """create temporary table candidate_rows (
                   mart text, province_code text, period text, row_key jsonb, row_values jsonb
               ) on commit drop"""
        )
        for mart in released_marts():
            _stage_mart(cur, mart, periods)
        cur.execute(_BASIS, {"periods": periods})
        cur.execute(_PERIOD_FINGERPRINTS, {"periods": periods})
        return dict(cur.fetchall())


def fingerprint(per_period: dict[str, str]) -> str:
    """One fingerprint for a set of periods' content."""
    import hashlib

    joined = "\n".join(f"{period}:{sha}" for period, sha in sorted(per_period.items()))
    return hashlib.sha256(joined.encode()).hexdigest()


def reference_fingerprint(conn) -> str:
    """The reference lists' content, so a boundary change between two releases is told apart."""
    with conn.cursor() as cur:
        parts = [
            sql.SQL(
                "select coalesce(string_agg(t::text, E'\\n' order by t::text), '') from reference.{} as t"
            ).format(sql.Identifier(name))
            for name in REFERENCE_TABLES
        ]
        cur.execute(
            sql.SQL("select encode(sha256(convert_to(concat_ws(E'\\n', {}), 'UTF8')), 'hex')").format(
                sql.SQL(", ").join(sql.SQL("({})").format(p) for p in parts)
            )
        )
        return cur.fetchone()[0]


# For each period, the release it was last published in.
_PREVIOUS = """
create temporary table previous_release on commit drop as
select period, max(release_id) as release_id
from release.release_periods where period = any(%(periods)s) group by period
"""

# Every figure of the new rows that differs from the period's previous release (a row new or gone
# counts each of its figures), with its reason.
_REVISIONS = """
insert into release.revisions (release_id, previous_release_id, mart, province_code, period, row_key, figure,
                               old_value, new_value, reason)
with old_rows as (
    select r.* from release.mart_rows as r
    join previous_release as p on p.release_id = r.release_id and p.period = r.period
),
old_basis as (
    select b.* from release.basis as b
    join previous_release as p on p.release_id = b.release_id and p.period = b.period
),
changed_basis as (
    select coalesce(n.province_code, o.province_code) as province_code, coalesce(n.period, o.period) as period
    from candidate_basis as n
    full join old_basis as o
        on o.province_code = n.province_code and o.period = n.period and o.submission_type = n.submission_type
    where n.sha256 is distinct from o.sha256
),
diffs as (
    select coalesce(n.mart, o.mart) as mart, coalesce(n.province_code, o.province_code) as province_code,
           coalesce(n.period, o.period) as period, coalesce(n.row_key, o.row_key) as row_key,
           f.figure, o.row_values -> f.figure as old_value, n.row_values -> f.figure as new_value
    from candidate_rows as n
    full join old_rows as o on o.mart = n.mart and o.row_key = n.row_key
    cross join lateral
        jsonb_object_keys(coalesce(n.row_values, '{}') || coalesce(o.row_values, '{}')) as f (figure)
    where coalesce(n.period, o.period) in (select period from previous_release)
      and not (coalesce(n.row_key, o.row_key) ? f.figure)
      and (n.row_values -> f.figure) is distinct from (o.row_values -> f.figure)
)
select %(release_id)s, p.release_id, d.mart, d.province_code, d.period, d.row_key, d.figure, d.old_value,
       d.new_value,
       case
           when exists (
               select from changed_basis as c
               where c.period = d.period
                 and (d.province_code is null or c.province_code = d.province_code
                      or exists (select from reference.province_crosswalk_2025 as x
                                 where x.old_province_code = c.province_code
                                   and x.new_province_code = d.province_code))
           ) then 'resubmission'
           when %(boundaries_changed)s then 'boundary_change'
           else 'reprocess'
       end
from diffs as d join previous_release as p on p.period = d.period
"""


def _check_fresh(per_period: dict[str, str], expected_fingerprint: str | None) -> str:
    content = fingerprint(per_period)
    if expected_fingerprint is not None and content != expected_fingerprint:
        raise StaleCandidate(
            "the marts changed after the reviewer was shown them (a night ran in between): nothing was "
            "published; run publish_period again to review the current figures"
        )
    return content


def _previous_reference(cur, periods: list[str]) -> str | None:
    cur.execute(
        """select r.reference_sha256 from release.releases as r
           where r.release_id = (
               select max(release_id) from release.release_periods where period = any(%s))""",
        (periods,),
    )
    row = cur.fetchone()
    return row[0] if row else None


def publish(
    conn,
    periods: list[str],
    *,
    approved_by: str,
    note: str | None = None,
    dag_run_id: str | None = None,
    expected_fingerprint: str | None = None,
) -> Release:
    """Publish the periods' marts as the next release, in the caller's transaction (the publisher's).

    `expected_fingerprint` is what the reviewer approved; when the marts no longer match it nothing is
    published (StaleCandidate). Two publishers never number a release twice (an advisory lock), and a
    run that published already (its task retried after the commit) gets its release back, not a second."""
    periods = sorted(set(periods))
    with conn.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(hashtext('child_warehouse.release'))")
        done = _published_by(cur, dag_run_id)
        if done is not None:  # a retried task whose first try committed: the release exists already
            log.info(
                "Release %d was already published by run %s; nothing new", done.release_number, dag_run_id
            )
            return done
        per_period = stage_candidate(conn, periods)
        content = _check_fresh(per_period, expected_fingerprint)
        reference = reference_fingerprint(conn)
        previous_reference = _previous_reference(cur, periods)
        cur.execute(
            """insert into release.releases (release_number, periods, approved_by, decision_note, dag_run_id,
                                             rows_published, content_sha256, reference_sha256)
               select coalesce(max(release_number), 0) + 1, %(periods)s, %(by)s, %(note)s, %(run)s,
                      (select count(*) from candidate_rows), %(content)s, %(reference)s
               from release.releases
               returning release_id, release_number, rows_published""",
            {
                "periods": periods,
                "by": approved_by,
                "note": note,
                "run": dag_run_id,
                "content": content,
                "reference": reference,
            },
        )
        release_id, number, rows = cur.fetchone()
        cur.execute(_PREVIOUS, {"periods": periods})
        cur.execute(
            _REVISIONS,
            {
                "release_id": release_id,
                "boundaries_changed": previous_reference is not None and previous_reference != reference,
            },
        )
        revisions = cur.rowcount
        cur.execute(
            """insert into release.release_periods (release_id, period, content_sha256)
               select %s, period, sha from unnest(%s::text[], %s::text[]) as t (period, sha)""",
            (release_id, list(per_period), list(per_period.values())),
        )
        cur.execute(
            """insert into release.basis (release_id, province_code, period, submission_type, submission_id,
                                          sha256, signoff_id)
               select %s, province_code, period, submission_type, submission_id, sha256, signoff_id
               from candidate_basis""",
            (release_id,),
        )
        cur.execute(
            """insert into release.mart_rows (release_id, mart, province_code, period, row_key, row_values)
               select %s, mart, province_code, period, row_key, row_values from candidate_rows""",
            (release_id,),
        )
        refresh_published_views(cur)
    log.info(
        "Release %d published: periods %s, %d mart rows, %d revised figure(s), approved by %s",
        number,
        ", ".join(periods),
        rows,
        revisions,
        approved_by,
    )
    return Release(release_id, number, periods, rows, revisions, content)


def _published_by(cur, dag_run_id: str | None) -> Release | None:
    if dag_run_id is None:
        return None
    cur.execute(
        """select r.release_id, r.release_number, r.periods, r.rows_published,
                  (select count(*) from release.revisions as v where v.release_id = r.release_id),
                  r.content_sha256
           from release.releases as r where r.dag_run_id = %s""",
        (dag_run_id,),
    )
    row = cur.fetchone()
    return Release(*row) if row else None


_COLUMNS = """
select a.attname, format_type(a.atttypid, a.atttypmod), t.typcategory = 'A'
from pg_attribute as a join pg_type as t on t.oid = a.atttypid
where a.attrelid = to_regclass(%s) and a.attnum > 0 and not a.attisdropped
order by a.attnum
"""


def _typed(name: str, pg_type: str, is_array: bool) -> sql.Composable:
    value = sql.SQL("m.row_values -> {}").format(sql.Literal(name))
    if is_array:
        return sql.SQL(
            "case when jsonb_typeof({v}) = 'array' "
            "then array(select jsonb_array_elements_text({v}))::{t} end as {n}"
        ).format(v=value, t=sql.SQL(pg_type), n=sql.Identifier(name))
    return sql.SQL("(m.row_values ->> {})::{} as {}").format(
        sql.Literal(name), sql.SQL(pg_type), sql.Identifier(name)
    )


def refresh_published_views(cur) -> None:
    """`published.<mart>`: the latest release of each period, typed as the mart is today (a column a
    release predates reads null); `published.releases` and `published.revisions`. security_invoker, so
    the analyst's own row-level security applies."""
    for mart in released_marts():
        cur.execute(_COLUMNS, (f"marts.{mart.name}",))
        columns = cur.fetchall()
        if not columns:
            continue
        cur.execute(sql.SQL("drop view if exists published.{}").format(sql.Identifier(mart.name)))
        cur.execute(
            sql.SQL(
                """create view published.{view} with (security_invoker = true) as
                   select r.release_number, r.published_at as release_published_at, {columns}
                   from release.mart_rows as m join release.releases as r on r.release_id = m.release_id
                   where m.mart = {mart}
                     and m.release_id = (select max(p.release_id) from release.release_periods as p
                                         where p.period = m.period)"""
            ).format(
                view=sql.Identifier(mart.name),
                columns=sql.SQL(", ").join(_typed(*column) for column in columns),
                mart=sql.Literal(mart.name),
            )
        )
        _grant(cur, mart.name)
    cur.execute(
        """create or replace view published.releases with (security_invoker = true) as
           select release_number, periods, published_at, approved_by, decision_note, rows_published,
                  content_sha256
           from release.releases"""
    )
    cur.execute(
        """create or replace view published.revisions with (security_invoker = true) as
           select r.release_number, r.published_at, p.release_number as previous_release_number, v.mart,
                  v.province_code, v.period, v.row_key, v.figure, v.old_value #>> '{}' as old_value,
                  v.new_value #>> '{}' as new_value, v.reason
           from release.revisions as v
           join release.releases as r on r.release_id = v.release_id
           join release.releases as p on p.release_id = v.previous_release_id"""
    )
    _grant(cur, "releases")
    _grant(cur, "revisions")


def _grant(cur, view: str) -> None:
    """Both analyst groups read every published view (whoever made it); row-level security decides rows."""
    cur.execute(
        sql.SQL("grant select on published.{} to analyst_national, analyst_province").format(
            sql.Identifier(view)
        )
    )


def release_content(conn, release_number: int) -> str:
    """A release's rows as one text, in a stable order: what 'never changed' is checked against."""
    with conn.cursor() as cur:
        cur.execute(
            """select coalesce(string_agg(
                          m.mart || ' ' || m.row_key::text || ' ' || m.row_values::text, E'\\n'
                          order by m.mart, m.row_key::text), '')
               from release.mart_rows as m join release.releases as r on r.release_id = m.release_id
               where r.release_number = %s""",
            (release_number,),
        )
        return cur.fetchone()[0]
