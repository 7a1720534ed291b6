-- Parsing of the contract's text forms, written once in SQL so that linkage, validation and dbt
-- staging read a province's values the same way. All functions are immutable and never raise:
-- a value they cannot read becomes null, and validation reports it.
create schema if not exists util;

-- Dates: dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd, Excel serial numbers. Never mm/dd/yyyy.
create or replace function util.parse_vn_date(value text) returns date
language plpgsql immutable parallel safe as $$
declare
    v text := btrim(value);
    parts text[];
    serial integer;
begin
    if v is null or v = '' then
        return null;
    end if;
    if v ~ '^\d{1,2}/\d{1,2}/\d{4}$' then
        parts := string_to_array(v, '/');
        return make_date(parts[3]::int, parts[2]::int, parts[1]::int);
    elsif v ~ '^\d{4}-\d{2}-\d{2}$' then
        return make_date(substr(v, 1, 4)::int, substr(v, 6, 2)::int, substr(v, 9, 2)::int);
    elsif v ~ '^\d{1,5}(\.0+)?$' then
        serial := split_part(v, '.', 1)::int;
        if serial between 1 and 73050 then  -- 1900-01-01 .. 2099-12-31 as Excel serials
            return date '1899-12-30' + serial;
        end if;
    end if;
    return null;
exception when others then  -- 31/02/2026 and the like: not a date
    return null;
end
$$;

-- Sex: Nam/Nữ, M/F, 1 (male) / 2 (female), and the canonical words.
create or replace function util.parse_sex(value text) returns text
language sql immutable parallel safe as $$
    select case lower(normalize(btrim(value), nfc))
        when 'nam' then 'male' when 'm' then 'male' when '1' then 'male' when 'male' then 'male'
        when 'nữ' then 'female' when 'nu' then 'female' when 'f' then 'female' when '2' then 'female'
        when 'female' then 'female'
    end
$$;

-- Yes/no: Có/Không, co/khong, x/empty, 1/0, yes/no, true/false. Empty is null (not stated).
create or replace function util.parse_yes_no(value text) returns boolean
language sql immutable parallel safe as $$
    select case lower(normalize(btrim(value), nfc))
        when 'có' then true when 'co' then true when 'x' then true when '1' then true
        when 'yes' then true when 'true' then true when 'c' then true
        when 'không' then false when 'khong' then false when '0' then false when 'no' then false
        when 'false' then false when 'k' then false
    end
$$;

-- A personal ID is kept only when it is exactly 12 digits (spaces between groups allowed).
create or replace function util.parse_personal_id(value text) returns text
language sql immutable parallel safe as $$
    select case when regexp_replace(coalesce(value, ''), '\s', '', 'g') ~ '^\d{12}$'
                then regexp_replace(value, '\s', '', 'g') end
$$;

grant usage on schema util to loader, transformer;

-- The last day of a reporting period: YYYY-Mmm, YYYY-Qn, YYYY-H1, YYYY-9M, YYYY-Y.
create or replace function util.period_end_date(period text) returns date
language sql immutable parallel safe as $$
    select case
        when period ~ '^\d{4}-M(0[1-9]|1[0-2])$'
            then (make_date(left(period, 4)::int, substr(period, 7, 2)::int, 1) + interval '1 month - 1 day')::date
        when period ~ '^\d{4}-Q[1-4]$'
            then (make_date(left(period, 4)::int, substr(period, 7, 1)::int * 3 - 2, 1)
                  + interval '3 months - 1 day')::date
        when period ~ '^\d{4}-H1$' then make_date(left(period, 4)::int, 6, 30)
        when period ~ '^\d{4}-9M$' then make_date(left(period, 4)::int, 9, 30)
        when period ~ '^\d{4}-Y$' then make_date(left(period, 4)::int, 12, 31)
    end
$$;

-- The first day of a reporting period (cumulative periods start in January).
create or replace function util.period_start_date(period text) returns date
language sql immutable parallel safe as $$
    select case
        when period ~ '^\d{4}-M(0[1-9]|1[0-2])$' then make_date(left(period, 4)::int, substr(period, 7, 2)::int, 1)
        when period ~ '^\d{4}-Q[1-4]$' then make_date(left(period, 4)::int, substr(period, 7, 1)::int * 3 - 2, 1)
        when period ~ '^\d{4}-(H1|9M|Y)$' then make_date(left(period, 4)::int, 1, 1)
    end
$$;
