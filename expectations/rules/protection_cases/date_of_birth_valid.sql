-- date_of_birth_valid: date_of_birth is not a valid date as dd/mm/yyyy, yyyy-mm-dd or an Excel serial (never mm/dd/yyyy).
select
    source_row,
    date_of_birth
from {batch}
where util.clean_text(date_of_birth) is not null and util.parse_vn_date(date_of_birth) is null
