-- commune_code_format: commune_code is not a 5-digit code.
select
    source_row,
    commune_code
from {batch}
where commune_code = any(array(
        select distinct_value
        from (select distinct commune_code as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null
            and util.clean_text(distinct_value) !~ '^[0-9]{1,5}$'
    ))
