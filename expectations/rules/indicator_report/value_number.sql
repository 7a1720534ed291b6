-- value_number: value must be a number as reports write one: 1.234.567 (dots grouping thousands), 12,5 or 12.5, an optional '%'.
-- An empty cell is not checked by this rule (as Great Expectations' regex rule, which it replaces, skipped it).
select
    source_row,
    value
from {batch}
where
    value is not null
    and value !~ '^\s*-?(\d{1,3}(\.\d{3})+(,\d+)?|\d+([.,]\d+)?)\s*%?\s*$'
