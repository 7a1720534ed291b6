-- sex_code: sex is not Nam/Nữ, M/F or 1/2.
select
    source_row,
    sex
from {batch}
where sex = any(array(
        select distinct_value
        from (select distinct sex as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null and util.parse_sex(distinct_value) is null
    ))
