-- occurred_not_after_detected: occurred_on is after detected_on.
select
    source_row,
    occurred_on
from {batch}
where util.parse_vn_date(occurred_on) is not null
    and util.parse_vn_date(detected_on) is not null
    and util.parse_vn_date(occurred_on) > util.parse_vn_date(detected_on)
