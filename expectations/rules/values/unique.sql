-- unique: rows whose {column} appears more than once in the file (copies counted by a window over the column).
select
    source_row,
    {column}
from (
    select
        source_row,
        {column},
        count(*) over (partition by {column}) as copies
    from {batch}
    where {column} is not null
) as counted
where copies > 1
