-- not_a_count: {column} is not a non-negative whole number (Vietnamese or plain digits; '1.234' is 1234).
select
    source_row,
    {column}
from {batch}
where util.clean_text({column}) is not null
    and coalesce(
        util.parse_vn_number({column}, 'count') < 0
        or util.parse_vn_number({column}, 'count') <> trunc(util.parse_vn_number({column}, 'count')),
        true
    )
