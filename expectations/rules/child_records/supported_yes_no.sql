-- supported_yes_no: supported is not a yes/no value (Có/Không, x, 1/0).
select
    source_row,
    supported
from {batch}
where supported = any(array(
        select distinct_value
        from (select distinct supported as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null and util.parse_yes_no(distinct_value) is null
    ))
