-- intervened_not_before_detected: intervened_on is before detected_on.
select
    source_row,
    intervened_on
from {batch}
where util.parse_vn_date(detected_on) is not null
    and util.parse_vn_date(intervened_on) is not null
    and util.parse_vn_date(intervened_on) < util.parse_vn_date(detected_on)
