-- part_not_above_whole: value {value} exceeds {whole_code} ({whole_value}), the whole it is part of.
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
    part_row.source_row,
    part_row.sent_value as value,
    whole.code as whole_code,
    whole.sent_value as whole_value
from reported as part_row
inner join reference.indicators as relation on part_row.code = relation.indicator_code
inner join reported as whole on relation.must_not_exceed = whole.code and part_row.part = whole.part
where part_row.amount > whole.amount
