-- part_not_above_whole: value {value} exceeds {whole_code} ({whole_value}), the whole it is part of.
-- reference.indicators.must_not_exceed names an indicator's whole; the two are compared per disaggregation.
select
    part_row.source_row,
    part_row.value,
    whole.batch_indicator_code as whole_code,
    whole.value as whole_value
from {batch} as part_row
inner join reference.indicators as relation on part_row.batch_indicator_code = relation.indicator_code
inner join {batch} as whole
    on relation.must_not_exceed = whole.batch_indicator_code and part_row.batch_part = whole.batch_part
where part_row.batch_amount > whole.batch_amount
