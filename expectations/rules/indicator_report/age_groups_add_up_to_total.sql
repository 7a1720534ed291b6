-- age_groups_add_up_to_total: total {value} differs from the sum of the age groups ({ages_value}).
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
    sum(age.amount)::text as ages_value
from reported as total inner join reported as age on total.code = age.code and age.part like 'age:%'
where total.part = 'total' and total.kind <> 'rate'
group by total.source_row, total.sent_value, total.amount
having count(*) = 3 and sum(age.amount) <> total.amount
