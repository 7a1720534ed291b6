-- birth_registered_yes_no: birth_registered is not a yes/no value (Có/Không, x, 1/0).
select
    source_row,
    birth_registered
from {batch}
where birth_registered = any(array(
        select distinct_value
        from (select distinct birth_registered as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null and util.parse_yes_no(distinct_value) is null
    ))
