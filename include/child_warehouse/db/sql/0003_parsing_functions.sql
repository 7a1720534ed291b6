-- Parsing of the contract's text forms (submission contract §2), written once in SQL so that
-- validation, linkage and dbt staging read a province's values the same way (dbt's macros call these).
-- Every function is `language sql` with a single expression: the planner inlines it, so it costs
-- what the expression costs, and none of them raises: a value they cannot read becomes null.
create schema if not exists util;

-- Trim spaces, tabs, line breaks and non-breaking spaces (common in Excel exports); empty is null.
create or replace function util.clean_text(value text) returns text
language sql immutable parallel safe
return nullif(btrim(value, ' ' || chr(9) || chr(10) || chr(13) || chr(160)), '');

-- Lower-case ASCII without Vietnamese diacritics ('Không' → 'khong', 'Đã' → 'da'); locale-independent.
create or replace function util.fold_vn(value text) returns text
language sql immutable parallel safe
return lower(translate(util.clean_text(value), 'àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬèéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆìíỉĩịÌÍỈĨỊòóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰỳýỷỹỵỲÝỶỸỴđĐÐ', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeeeeeeeiiiiiiiiiioooooooooooooooooooooooooooooooooouuuuuuuuuuuuuuuuuuuuuuyyyyyyyyyyddd'));

-- Free text as a snake_case code: 'Cận nghèo' → 'can_ngheo', 'Xâm hại tình dục' → 'xam_hai_tinh_duc'.
create or replace function util.normalise_code(value text) returns text
language sql immutable parallel safe
return btrim(regexp_replace(util.fold_vn(value), '[^a-z0-9]+', '_', 'g'), '_');

-- A date only when the parts form a real one (31/02 is not); the inner case keeps make_date safe.
create or replace function util.checked_date(y integer, m integer, d integer) returns date
language sql immutable parallel safe
return case
    when y between 1800 and 2200 and m between 1 and 12 and d between 1 and 31 then
        case when d <= extract(day from make_date(y, m, 1) + interval '1 month' - interval '1 day')
             then make_date(y, m, d) end
end;

-- Dates: dd/mm/yyyy and d/m/yyyy ('.' or '-' also separate), yyyy-mm-dd (a time may follow),
-- Excel serial numbers (days since 1899-12-30; a time fraction is dropped). Never mm/dd/yyyy.
create or replace function util.parse_vn_date(value text) returns date
language sql immutable parallel safe
return case
    when util.clean_text(value) ~ '^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}$' then util.checked_date(
        substring(util.clean_text(value) from '([0-9]{4})$')::int,
        substring(util.clean_text(value) from '^[0-9]{1,2}[/.-]([0-9]{1,2})')::int,
        substring(util.clean_text(value) from '^([0-9]{1,2})')::int)
    when util.clean_text(value) ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T].*)?$' then util.checked_date(
        substring(util.clean_text(value) from '^([0-9]{4})')::int,
        substring(util.clean_text(value) from '^[0-9]{4}-([0-9]{1,2})')::int,
        substring(util.clean_text(value) from '^[0-9]{4}-[0-9]{1,2}-([0-9]{1,2})')::int)
    when util.clean_text(value) ~ '^[0-9]{1,5}([.][0-9]+)?$' then
        case when util.clean_text(value)::numeric between 1 and 73050  -- up to 2099-12-31
             then date '1899-12-30' + floor(util.clean_text(value)::numeric)::int end
end;

-- Sex: Nam/Nữ, M/F, 1 (male) / 2 (female), male/female.
create or replace function util.parse_sex(value text) returns text
language sql immutable parallel safe
return case
    when util.fold_vn(value) in ('nam', 'm', '1', 'male') then 'male'
    when util.fold_vn(value) in ('nu', 'f', '2', 'female') then 'female'
end;

-- Yes/no: Có/Không, co/khong, c/k, x, 1/0, yes/no, true/false. Empty is null ("not stated").
create or replace function util.parse_yes_no(value text) returns boolean
language sql immutable parallel safe
return case
    when util.fold_vn(value) in ('co', 'c', 'x', '1', '1.0', 'yes', 'true') then true
    when util.fold_vn(value) in ('khong', 'k', '0', '0.0', 'no', 'false') then false
end;

-- A personal ID is kept only when it is exactly 12 digits (spaces between printed groups removed).
create or replace function util.parse_personal_id(value text) returns text
language sql immutable parallel safe
return case when regexp_replace(util.clean_text(value), '\s', '', 'g') ~ '^[0-9]{12}$'
            then regexp_replace(util.clean_text(value), '\s', '', 'g') end;

-- Reporting periods: YYYY-Mmm, YYYY-Qn, YYYY-H1 (H2 read as Jul–Dec), YYYY-9M (Jan–Sep), YYYY-Y.
create or replace function util.period_type(period text) returns text
language sql immutable parallel safe
return case
    when upper(util.clean_text(period)) ~ '^[0-9]{4}-M(0?[1-9]|1[0-2])$' then 'month'
    when upper(util.clean_text(period)) ~ '^[0-9]{4}-Q[1-4]$' then 'quarter'
    when upper(util.clean_text(period)) ~ '^[0-9]{4}-H[12]$' then 'half_year'
    when upper(util.clean_text(period)) ~ '^[0-9]{4}-9M$' then 'nine_months'
    when upper(util.clean_text(period)) ~ '^[0-9]{4}-Y$' then 'year'
end;

-- The first day of a period (cumulative periods start in January).
create or replace function util.period_start_date(period text) returns date
language sql immutable parallel safe
return case util.period_type(period)
    when 'month' then make_date(left(period, 4)::int, substring(upper(period) from 'M([0-9]{1,2})$')::int, 1)
    when 'quarter' then make_date(left(period, 4)::int, 3 * substring(upper(period) from 'Q([1-4])$')::int - 2, 1)
    when 'half_year' then make_date(left(period, 4)::int, case when upper(period) like '%H2' then 7 else 1 end, 1)
    when 'nine_months' then make_date(left(period, 4)::int, 1, 1)
    when 'year' then make_date(left(period, 4)::int, 1, 1)
end;

-- The last day of a period: stocks are counted as at this day.
create or replace function util.period_end_date(period text) returns date
language sql immutable parallel safe
return case util.period_type(period)
    when 'month' then (util.period_start_date(period) + interval '1 month' - interval '1 day')::date
    when 'quarter' then (util.period_start_date(period) + interval '3 months' - interval '1 day')::date
    when 'half_year' then (util.period_start_date(period) + interval '6 months' - interval '1 day')::date
    when 'nine_months' then make_date(left(period, 4)::int, 9, 30)
    when 'year' then make_date(left(period, 4)::int, 12, 31)
end;

grant usage on schema util to loader, transformer;
