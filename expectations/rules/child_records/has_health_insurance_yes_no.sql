-- has_health_insurance_yes_no: has_health_insurance is not a yes/no value (Có/Không, x, 1/0).
select
    source_row,
    has_health_insurance
from {batch}
where has_health_insurance = any(array(
        select distinct_value
        from (select distinct has_health_insurance as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null and util.parse_yes_no(distinct_value) is null
    ))
