-- child_under_16_at_period_end: date_of_birth: the child must be under 16 at the period's end and born by then.
-- The lateral subquery parses the birth date once per row; "offset 0" keeps the planner from inlining it.
select
    batch_rows.source_row,
    batch_rows.date_of_birth
from {batch} as batch_rows
-- (the lint cannot parse a lateral subquery without a from clause)
-- noqa: disable=LT02,ST05
cross join lateral (
    select util.parse_vn_date(batch_rows.date_of_birth) as born
    offset 0  -- noqa: PRS
) as parsed
-- noqa: enable=all
where
    parsed.born > batch_rows.period_end_date
    or parsed.born <= (batch_rows.period_end_date - interval '16 years')::date
