-- Folding and yes/no and sex reading, faster; the same answers on Vietnamese text.
-- A national night reads the five yes/no columns and sex of every record in validation and again in
-- staging. parse_yes_no and parse_sex folded their value twice (once per WHEN of a searched CASE:
-- an inlined function's argument is not computed once), and folding non-ASCII text ('Có', 'Không',
-- 'Nữ') walked the 134-letter translation table for every letter: about 2.4 µs a value.
-- Now a simple CASE folds once, and non-ASCII text is decomposed (NFD) and loses the eight
-- combining marks Vietnamese uses (five tones, circumflex, breve, horn) in one short translate, with
-- đ/Đ/Ð as d: about 0.6 µs. Decomposing needs no locale, as the table did not.
-- On the Vietnamese alphabet and ASCII the answers are the first versions' (tests/db/
-- test_parsing_functions.py compares them letter by letter). Outside it, folding now also removes
-- those marks from other Latin letters ('ñ' → 'n') and from text that arrived decomposed, which
-- the table left alone; the loader composes every value (NFC) before it reaches the warehouse.

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

create or replace function util.parse_sex(value text) returns text
language sql immutable parallel safe
return case util.fold_vn(value)
    when 'nam' then 'male' when 'm' then 'male' when '1' then 'male' when 'male' then 'male'
    when 'nu' then 'female' when 'f' then 'female' when '2' then 'female' when 'female' then 'female'
end;

create or replace function util.parse_yes_no(value text) returns boolean
language sql immutable parallel safe
return case util.fold_vn(value)
    when 'co' then true when 'c' then true when 'x' then true when '1' then true
    when '1.0' then true when 'yes' then true when 'true' then true
    when 'khong' then false when 'k' then false when '0' then false when '0.0' then false
    when 'no' then false when 'false' then false
end;
