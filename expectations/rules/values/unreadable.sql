-- unreadable: a value of {column} that {parser} cannot read (null); each distinct value of the file is tested once.
select
    source_row,
    {column}
from {batch}
where {column} = any(array(
        select distinct_value
        from (select distinct {column} as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null and {parser}(distinct_value) is null
    ))
