-- The reference lists (provinces, communes, crosswalks, ethnic groups, Article 10 groups, indicators)
-- are the warehouse's own tables, loaded by `db init` / `db migrate` from the CSVs in db/reference/
-- (child_warehouse.db.reference), so they exist before the first stage reads them. Until now dbt
-- created them as seeds: the same names, columns and types, so a warehouse that has them keeps them.
-- Every code is text, keeping its leading zeros; provinces and communes are effective-dated.
create schema if not exists reference;

create table if not exists reference.provinces (
    province_code text, name_vi text, short_name_vi text, name_en text, unit_type text,
    valid_from date, valid_to date
);
create table if not exists reference.communes (
    commune_code text, name_vi text, unit_type text, province_code text, district_code text,
    district_name_vi text, valid_from date, valid_to date
);
create table if not exists reference.province_crosswalk_2025 (
    old_province_code text, old_name_vi text, new_province_code text, new_name_vi text
);
create table if not exists reference.commune_crosswalk_2025 (
    old_commune_code text, old_name_vi text, old_province_code text, new_commune_code text,
    new_name_vi text, new_province_code text, is_partial boolean
);
create table if not exists reference.ethnic_groups (
    ethnic_code text, name_vi text, name_ascii text, pop_share_2019_pct numeric, pop_share_source text
);
create table if not exists reference.special_circumstances (
    code text, number integer, law_letter text, name_vi text, name_en text, decree_56_2017_article integer
);
create table if not exists reference.indicators (
    indicator_code text, name_vi text, name_en text, unit text, kind text, numerator text,
    denominator text, disaggregations text, must_not_exceed text
);

-- Public lists: every role that reads the warehouse may read them.
grant usage on schema reference to loader, transformer, analyst_national, analyst_province;
grant select on all tables in schema reference to loader, transformer, analyst_national, analyst_province;
