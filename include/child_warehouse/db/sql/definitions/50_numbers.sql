-- Numbers written the Vietnamese way ('492.832' = 492832, '98,6' = 98.6) or plainly; spaces,
-- non-breaking spaces and '%' are ignored; empty is null ("not reported", never 0). The contract
-- lets the column's type settle ambiguous values: for a count ('count') a '.' or ',' before groups
-- of exactly three digits separates thousands ('1.234' = 1234); for a rate ('decimal') a single
-- mark is the decimal point ('1.234' = 1.234). With both marks, the last is the decimal point.
-- One implementation for validation rules and dbt staging.
create or replace function util.number_text(value text) returns text
language sql immutable parallel safe
return translate(util.clean_text(value), ' %' || chr(160) || chr(8239), '');

create or replace function util.parse_vn_number(value text, style text default 'count') returns numeric
language sql immutable parallel safe
return case
    when util.number_text(value) ~ '^-?[0-9]+$' then util.number_text(value)::numeric
    when style = 'count' and util.number_text(value) ~ '^-?[0-9]{1,3}([.][0-9]{3})+$'
        then replace(util.number_text(value), '.', '')::numeric
    when style = 'count' and util.number_text(value) ~ '^-?[0-9]{1,3}(,[0-9]{3})+$'
        then replace(util.number_text(value), ',', '')::numeric
    when
        util.number_text(value) ~ '^-?[0-9]+,[0-9]+$'
        then replace(util.number_text(value), ',', '.')::numeric
    when util.number_text(value) ~ '^-?[0-9]+[.][0-9]+$' then util.number_text(value)::numeric
    when util.number_text(value) ~ '^-?[0-9]{1,3}([.][0-9]{3})+,[0-9]+$'
        then replace(replace(util.number_text(value), '.', ''), ',', '.')::numeric
    when util.number_text(value) ~ '^-?[0-9]{1,3}(,[0-9]{3})+[.][0-9]+$'
        then replace(util.number_text(value), ',', '')::numeric
end;
