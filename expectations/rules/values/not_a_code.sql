-- not_a_code: a value of {column} that is none of its codes ({codes}) once normalised (case, diacritics, spaces).
select
    source_row,
    {column}
from {batch}
where {column} = any(array(
        select distinct_value
        from (select distinct {column} as distinct_value from {batch} offset 0) as distinct_values
        where
            util.clean_text(distinct_value) is not null
            and util.normalise_code(distinct_value) not in ({codes})
    ))
