-- date_of_birth_valid: date_of_birth is not a valid date as dd/mm/yyyy, yyyy-mm-dd or an Excel serial (never mm/dd/yyyy).
select
    source_row,
    date_of_birth
from {batch}
where date_of_birth = any(array(
        select distinct_value
        from (select distinct date_of_birth as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null and util.parse_vn_date(distinct_value) is null
    ))
