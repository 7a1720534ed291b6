-- dates_out_of_order: {later} is before {earlier} (both read as dates); the row's {column} is reported.
select
    source_row,
    {column}
from {batch}
where util.parse_vn_date({earlier}) is not null
    and util.parse_vn_date({later}) is not null
    and util.parse_vn_date({later}) < util.parse_vn_date({earlier})
