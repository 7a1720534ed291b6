-- has_disability_yes_no: has_disability is not a yes/no value (Có/Không, x, 1/0).
select
    source_row,
    has_disability
from {batch}
where has_disability = any(array(
        select distinct_value
        from (select distinct has_disability as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null and util.parse_yes_no(distinct_value) is null
    ))
