-- Faster parsing, same results. A national night parses several million values in validation and
-- staging. The first date parser (0003) matched a regular expression for each date part and built a
-- month's last day from intervals, about 20 µs a date; this one splits the text once it matches and
-- counts days per month arithmetically, about 4 µs. Folding translated every value through the
-- 134-letter Vietnamese table (about 12 µs for a code); text that is already plain ASCII, as most
-- codes are, now skips the table, and a value that is already a code skips the rewriting.
-- tests/db/test_parsing_functions.py holds the new versions to the first versions' answers.

create or replace function util.checked_date(y integer, m integer, d integer) returns date
language sql immutable parallel safe
return case
    when y between 1800 and 2200 and m between 1 and 12 and d between 1 and
        case when m in (4, 6, 9, 11) then 30
             when m = 2 then case when y % 4 = 0 and (y % 100 <> 0 or y % 400 = 0) then 29 else 28 end
             else 31 end
    then make_date(y, m, d)
end;

create or replace function util.parse_vn_date(value text) returns date
language sql immutable parallel safe
return case
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

create or replace function util.fold_vn(value text) returns text
language sql immutable parallel safe
return case
    when util.clean_text(value) ~ '^[ -~]*$' then lower(util.clean_text(value))  -- ASCII: nothing to fold
    else lower(translate(util.clean_text(value), 'àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬèéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆìíỉĩịÌÍỈĨỊòóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰỳýỷỹỵỲÝỶỸỴđĐÐ', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeeeeeeeiiiiiiiiiioooooooooooooooooooooooooooooooooouuuuuuuuuuuuuuuuuuuuuuyyyyyyyyyyddd'))
end;

create or replace function util.normalise_code(value text) returns text
language sql immutable parallel safe
return case
    when util.fold_vn(value) ~ '^[a-z0-9]+(_[a-z0-9]+)*$' then util.fold_vn(value)  -- already a code
    else btrim(regexp_replace(util.fold_vn(value), '[^a-z0-9]+', '_', 'g'), '_')
end;
