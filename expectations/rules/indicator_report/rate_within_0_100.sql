-- rate_within_0_100: rate {value} is outside 0–100 %.
with sent as (
    select
        source_row,
        indicator_code as sent_code,
        disaggregation as sent_disaggregation,
        value as sent_value
    -- PostgreSQL 15 needs an alias on a subquery in from: GX puts the batch there as one
    from {batch} as batch_rows  -- noqa: AL05
),

reported as (
    select
        sent.source_row,
        sent.sent_value,
        catalogue.indicator_code as code,
        catalogue.kind,
        coalesce(lower(regexp_replace(util.clean_text(sent.sent_disaggregation), '\s+', '', 'g')), 'total')
            as part,
        util.parse_vn_number(
            sent.sent_value, case when catalogue.kind = 'rate' then 'decimal' else 'count' end
        )
            as amount
    from sent
    inner join
        reference.indicators as catalogue
        on catalogue.indicator_code = lower(util.clean_text(sent.sent_code))
)

select
    source_row,
    sent_value as value
from reported
where kind = 'rate' and (amount < 0 or amount > 100)
