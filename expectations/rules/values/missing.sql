-- missing: rows whose {column}, a column the contract requires, is empty (the load stores an empty cell as null).
select
    source_row,
    {column}
from {batch}
where {column} is null
