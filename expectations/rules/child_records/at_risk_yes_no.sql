-- at_risk_yes_no: at_risk is not a yes/no value (Có/Không, x, 1/0).
select
    source_row,
    at_risk
from {batch}
where at_risk = any(array(
        select distinct_value
        from (select distinct at_risk as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null and util.parse_yes_no(distinct_value) is null
    ))
