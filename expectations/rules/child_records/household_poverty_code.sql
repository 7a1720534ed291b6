-- household_poverty_code: household_poverty is not one of ngheo, can_ngheo, khong.
select
    source_row,
    household_poverty
from {batch}
where household_poverty = any(array(
        select distinct_value
        from (select distinct household_poverty as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null
            and util.normalise_code(distinct_value) not in ('ngheo', 'can_ngheo', 'khong')
    ))
