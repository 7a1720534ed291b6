-- case_id_unique: case_id appears more than once in the file.
select
    source_row,
    case_id
from (
    select
        source_row,
        case_id,
        count(*) over (partition by case_id) as copies
    from {batch}
    where case_id is not null
) as counted
where copies > 1
