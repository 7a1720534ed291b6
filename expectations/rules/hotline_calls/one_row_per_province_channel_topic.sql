-- one_row_per_province_channel_topic: a later row repeats the province, channel and topic of row {first_row}; the first is kept, the repeat is not counted again.
select
    source_row,
    province_code,
    first_row
from (
    select
        source_row,
        province_code,
        first_value(source_row) over same_key as first_row,
        row_number() over same_key as occurrence
    from {batch}
    where util.clean_text(province_code) is not null
    window same_key as (
        partition by
            lpad(util.clean_text(province_code), 2, '0'),
            util.normalise_code(channel),
            util.normalise_code(topic)
        order by source_row
    )
) as counted
where occurrence > 1
