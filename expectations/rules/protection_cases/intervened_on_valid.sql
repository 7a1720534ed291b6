-- intervened_on_valid: intervened_on is not a valid date as dd/mm/yyyy, yyyy-mm-dd or an Excel serial (never mm/dd/yyyy).
select
    source_row,
    intervened_on
from {batch}
where util.clean_text(intervened_on) is not null and util.parse_vn_date(intervened_on) is null
