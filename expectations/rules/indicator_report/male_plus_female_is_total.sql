-- male_plus_female_is_total: total {value} differs from male ({male_value}) + female ({female_value}).
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
    total.source_row,
    total.sent_value as value,
    male.sent_value as male_value,
    female.sent_value as female_value
from reported as total
inner join reported as male on total.code = male.code and male.part = 'sex:male'
inner join reported as female on total.code = female.code and female.part = 'sex:female'
where total.part = 'total' and total.kind <> 'rate' and male.amount + female.amount <> total.amount
