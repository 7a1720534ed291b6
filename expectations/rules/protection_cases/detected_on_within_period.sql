-- detected_on_within_period: detected_on is after the period's end.
select
    source_row,
    detected_on
from {batch}
where util.parse_vn_date(detected_on) > period_end_date
