-- Access for analysts: the national analyst reads every mart row; a provincial analyst reads only
-- its own province's rows, by row-level security on every analyst mart (applied by dbt after each
-- build, FORCE on). Roles are NOLOGIN groups without BYPASSRLS; people log in as members.
do $$
begin
    if not exists (select from pg_roles where rolname = 'analyst_province') then
        create role analyst_province nologin;
    end if;
end
$$;

-- Which province each provincial analyst's login role may see (today's 34-province code).
create table ops.analyst_provinces (
    role_name      text primary key,
    province_code  text not null,
    granted_by     text not null default current_user,
    granted_at     timestamptz not null default now()
);

-- The body reads reference.* tables, which dbt seeds after the migrations: create it unchecked.
set local check_function_bodies = off;

-- Whether `role_name` may see a mart row of `province_code` in `period`. Codes were reused in the
-- July 2025 reform, so a pre-reform row belongs to the province it merged into (Yên Bái's 15 in 2024
-- is today's Lào Cai, 15; Bình Định's 52 is today's Gia Lai, 52). Security definer: analysts read
-- neither the mapping nor the crosswalk tables themselves.
create or replace function util.analyst_can_see(role_name text, province_code text, period text)
returns boolean
language sql stable security definer
set search_path = pg_catalog, public
as $$
    select exists (
        select from ops.analyst_provinces as a
        where a.role_name = analyst_can_see.role_name
          and a.province_code = case
              when util.period_end_date(analyst_can_see.period) < date '2025-07-01' then (
                  select x.new_province_code from reference.province_crosswalk_2025 as x
                  where x.old_province_code = analyst_can_see.province_code)
              else analyst_can_see.province_code
          end
    )
$$;

revoke all on function util.analyst_can_see(text, text, text) from public;
grant usage on schema util to analyst_national, analyst_province;
grant execute on function util.analyst_can_see(text, text, text) to analyst_province;
