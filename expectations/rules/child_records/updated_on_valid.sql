-- updated_on_valid: updated_on is not a valid date as dd/mm/yyyy, yyyy-mm-dd or an Excel serial (never mm/dd/yyyy).
select
    source_row,
    updated_on
from {batch}
where updated_on = any(array(
        select distinct_value
        from (select distinct updated_on as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null and util.parse_vn_date(distinct_value) is null
    ))
