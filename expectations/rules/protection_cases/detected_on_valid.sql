-- detected_on_valid: detected_on is not a valid date as dd/mm/yyyy, yyyy-mm-dd or an Excel serial (never mm/dd/yyyy).
select
    source_row,
    detected_on
from {batch}
where util.clean_text(detected_on) is not null and util.parse_vn_date(detected_on) is null
