-- special_circumstances_code: special_circumstances must list Article 10's letters (a…o) or the numbers 1–14, separated by ';' or ','.
-- Case-insensitive (~*): 'A; đ' and 'a;Đ' are the same list. An empty cell is not a list to check.
select
    source_row,
    special_circumstances
from {batch}
where
    special_circumstances is not null
    and special_circumstances
    !~* '^\s*((a|b|c|d|đ|ð|dd|e|g|h|i|k|l|m|n|o|0?[1-9]|1[0-4])\s*([;,]\s*|$))*$'
