-- occurred_on_valid: occurred_on is not a valid date as dd/mm/yyyy, yyyy-mm-dd or an Excel serial (never mm/dd/yyyy).
select
    source_row,
    occurred_on
from {batch}
where util.clean_text(occurred_on) is not null and util.parse_vn_date(occurred_on) is null
