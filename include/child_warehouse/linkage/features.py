"""What linkage compares, computed in PostgreSQL with the shared util.* functions.

Records and register candidates get the same columns: name keys (with diacritics and tone placement
normalised, and folded), name parts, sorted name tokens (for swapped order), birth date and its
day/month swap, sex, commune and today's province, and caregiver or parents' names.
"""

from __future__ import annotations

from pathlib import Path

from psycopg2 import sql

# Hoàng/Huỳnh and Vũ/Võ are regional forms of one surname (domain.md §7.2): compare them as one.
_SURNAME = sql.SQL("""case split_part({folded}, ' ', 1) when 'huynh' then 'hoang' when 'vo' then 'vu'
              else split_part({folded}, ' ', 1) end""")
_SORTED = sql.SQL(
    "array_to_string(array(select t from unnest(string_to_array({folded}, ' ')) as t order by t), ' ')"
)
_GIVEN = sql.SQL("(string_to_array({folded}, ' '))[cardinality(string_to_array({folded}, ' '))]")
_SWAPPED = sql.SQL("""case when extract(day from {dob}) <= 12
                   and extract(day from {dob}) <> extract(month from {dob})
              then util.checked_date(extract(year from {dob})::int, extract(day from {dob})::int,
                                     extract(month from {dob})::int) end""")

COLUMNS = (
    "uid",
    "name_key",
    "name_folded",
    "surname",
    "given",
    "name_sorted",
    "dob",
    "dob_swapped",
    "birth_year",
    "sex",
    "commune_code",
    "province_now",
    "caregiver_a",
    "caregiver_b",
)


def _name_columns(name: str, folded: str) -> sql.Composed:
    """The name features of a name column, from its folded form `folded` (a column computed once a
    row: written out here, the inlined util.vn_name_folded would run again for every feature)."""
    folded_sql = sql.SQL(folded)
    return sql.SQL(
        "util.vn_name_key({name}) as name_key, {folded} as name_folded, {surname} as surname, "
        "{given} as given, {sorted} as name_sorted"
    ).format(
        name=sql.SQL(name),
        folded=folded_sql,
        surname=_SURNAME.format(folded=folded_sql),
        given=_GIVEN.format(folded=folded_sql),
        sorted=_SORTED.format(folded=folded_sql),
    )


def _date_columns(dob: str) -> sql.Composed:
    """The date features of a date column (computed once a row, as `_name_columns`' folded name)."""
    expression = sql.SQL(dob)
    return sql.SQL(
        "{dob} as dob, {swapped} as dob_swapped, extract(year from {dob})::int as birth_year"
    ).format(dob=expression, swapped=_SWAPPED.format(dob=expression))


# Each parsed value is a column of a subquery that OFFSET 0 keeps from being folded into the outer
# query, so it is computed once a row; folded into it, the inlined util.vn_name_folded and
# util.parse_vn_date ran again for each feature made from them (six and five times a row).
RECORDS_SQL = sql.SQL("""
select uid, {names},
       {dates},
       sex, commune_code, province_now, caregiver_a, null::text as caregiver_b
from (
    select r.submission_id || ':' || r.source_row as uid, r.full_name,
           util.vn_name_folded(r.full_name) as folded, util.parse_vn_date(r.date_of_birth) as parsed_dob,
           util.parse_sex(r.sex) as sex, util.parse_commune_code(r.commune_code) as commune_code,
           coalesce(x.new_province_code, s.province_code) as province_now,
           util.vn_name_folded(r.caregiver_name) as caregiver_a
    from raw.child_records as r
    join ledger.submissions as s using (submission_id)
    left join reference.province_crosswalk_2025 as x
        on x.old_province_code = s.province_code and util.period_end_date(s.period) < date '2025-07-01'
    where r.submission_id = any(%(submissions)s)
      and (not %(unlinked_only)s or (r.submission_id, r.source_row) in (
          select l.submission_id, l.source_row from links.child_links as l
          where l.submission_id = any(%(submissions)s) and l.method = 'none'))
    offset 0
) as r
""").format(names=_name_columns("r.full_name", "r.folded"), dates=_date_columns("r.parsed_dob"))

# Register persons young enough to be in a child file of the earliest period linked: under 16, and
# the over-16s communes forget to close (flagged by validation, still someone's record) up to 18.
BORN_AFTER_SQL = """
select coalesce(min(util.period_end_date(period)), current_date) - interval '18 years'
from ledger.submissions where submission_id = any(%(submissions)s)
"""

# Refreshed with every register extract (linkage/register.py), so linkage only reads it.
REGISTER_FEATURES_SQL = sql.SQL("""
insert into register.person_features (personal_id, name_key, name_folded, surname, given, name_sorted, dob,
                                      dob_swapped, birth_year, sex, commune_code, caregiver_a, caregiver_b)
select p.personal_id, {names}, {dates}, p.sex, p.commune_code, p.caregiver_a, p.caregiver_b
from (
    select p.personal_id, p.full_name, util.vn_name_folded(p.full_name) as folded, p.date_of_birth,
           p.sex, p.commune_code, util.vn_name_folded(m.full_name) as caregiver_a,
           util.vn_name_folded(f.full_name) as caregiver_b
    from register.persons as p
    left join register.persons as m on m.personal_id = p.mother_personal_id
    left join register.persons as f on f.personal_id = p.father_personal_id
    offset 0
) as p
""").format(names=_name_columns("p.full_name", "p.folded"), dates=_date_columns("p.date_of_birth"))

# The register's possible children, with today's province of their commune.
REGISTER_SQL = """
select f.personal_id as uid, f.name_key, f.name_folded, f.surname, f.given, f.name_sorted, f.dob,
       f.dob_swapped, f.birth_year, f.sex, f.commune_code, c.province_code as province_now,
       f.caregiver_a, f.caregiver_b
from register.person_features as f
left join reference.communes as c on c.commune_code = f.commune_code and c.valid_to is null
where f.dob > %(born_after)s
"""


def export_csv(conn, query: sql.Composable | str, params: dict, path: Path) -> int:
    """COPY a feature query's rows to a CSV file (header first); returns the number of rows."""
    with conn.cursor() as cur, path.open("w", encoding="utf-8") as handle:
        bound = sql.SQL(cur.mogrify(query, params).decode())  # parameters quoted by psycopg2
        cur.copy_expert(sql.SQL("copy ({}) to stdout with (format csv, header true)").format(bound), handle)
        return cur.rowcount
