-- Text as provinces type it: trimmed and empty-as-null (clean_text), folded for matching without
-- diacritics or case (fold_vn), and turned into a code (normalise_code).
-- The current definitions (their history: migrations 0003, 0010, 0011, 0012). Every function is
-- `language sql` with a single expression, so the planner inlines it; none raises.

-- Trim spaces, tabs, line breaks and non-breaking spaces (common in Excel exports); empty is null.
create or replace function util.clean_text(value text) returns text
language sql immutable parallel safe
return nullif(btrim(value, ' ' || chr(9) || chr(10) || chr(13) || chr(160)), '');

create or replace function util.fold_vn(value text) returns text
language sql immutable parallel safe
return case
    when util.clean_text(value) ~ '^[ -~]*$' then lower(util.clean_text(value))  -- ASCII: nothing to fold
    else lower(translate(
            normalize(util.clean_text(value), nfd),
            U&'\0111\0110\00D0\0300\0301\0303\0309\0323\0302\0306\031B',  -- đ Đ Ð, then the eight marks
            'ddd'
        ))
end;

create or replace function util.normalise_code(value text) returns text
language sql immutable parallel safe
return case
    when util.fold_vn(value) ~ '^[a-z0-9]+(_[a-z0-9]+)*$' then util.fold_vn(value)  -- already a code
    else btrim(regexp_replace(util.fold_vn(value), '[^a-z0-9]+', '_', 'g'), '_')
end;
