-- record_id_unique: record_id appears more than once in the file.
select
    source_row,
    record_id
from (
    select
        source_row,
        record_id,
        count(*) over (partition by record_id) as copies
    from {batch}
    where record_id is not null
) as counted
where copies > 1
