-- Fast paths for the forms most values take; the same answers. Validation and staging read every
-- record's birth date, last update and personal ID. Most dates are written dd/mm/yyyy or
-- yyyy-mm-dd exactly, with no spaces: for those one anchored pattern and fixed positions replace
-- trimming, splitting and the general patterns (about 4 µs a date to 1.6 µs). Most personal IDs are
-- twelve digits already: the spaces between printed groups are removed only when the plain test
-- fails. tests/db/test_parsing_functions.py holds both to the first versions' answers.

create or replace function util.parse_vn_date(value text) returns date
language sql immutable parallel safe
return case
    when value ~ '^[0-9]{2}/[0-9]{2}/[0-9]{4}$' then
        util.checked_date(substr(value, 7, 4)::int, substr(value, 4, 2)::int, substr(value, 1, 2)::int)
    when value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
        util.checked_date(substr(value, 1, 4)::int, substr(value, 6, 2)::int, substr(value, 9, 2)::int)
    when util.clean_text(value) ~ '^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}$' then util.checked_date(
        right(util.clean_text(value), 4)::int,
        split_part(translate(util.clean_text(value), '.-', '//'), '/', 2)::int,
        split_part(translate(util.clean_text(value), '.-', '//'), '/', 1)::int)
    when util.clean_text(value) ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T].*)?$' then util.checked_date(
        left(util.clean_text(value), 4)::int,
        split_part(util.clean_text(value), '-', 2)::int,
        split_part(split_part(split_part(util.clean_text(value), '-', 3), ' ', 1), 'T', 1)::int)
    when util.clean_text(value) ~ '^[0-9]{1,5}([.][0-9]+)?$' then
        case when util.clean_text(value)::numeric between 1 and 73050  -- up to 2099-12-31
             then date '1899-12-30' + floor(util.clean_text(value)::numeric)::int end
end;

create or replace function util.parse_personal_id(value text) returns text
language sql immutable parallel safe
return case
    when value ~ '^[0-9]{12}$' then value
    when regexp_replace(util.clean_text(value), '\s', '', 'g') ~ '^[0-9]{12}$'
        then regexp_replace(util.clean_text(value), '\s', '', 'g')
end;
