-- missing: rows whose {column}, a column the contract requires, is empty: null (the load stores an
-- empty cell as null) or only spaces, tabs and no-break spaces, which the load keeps as sent and
-- staging reads as empty (util.clean_text).
select
    source_row,
    {column}
from {batch}
where util.clean_text({column}) is null
