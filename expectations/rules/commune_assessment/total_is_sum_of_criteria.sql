-- total_is_sum_of_criteria: total_score {value} differs from the sum of the 13 criteria ({criteria_sum}); only when every criterion and the total can be read.
select
    source_row,
    total_score,
    trim_scale(criteria_sum)::text as criteria_sum
from (
    select
        source_row,
        total_score,
        util.parse_vn_number(total_score, 'count') as total,
        util.parse_vn_number(criterion_01, 'count') + util.parse_vn_number(criterion_02, 'count')
        + util.parse_vn_number(criterion_03, 'count') + util.parse_vn_number(criterion_04, 'count')
        + util.parse_vn_number(criterion_05, 'count') + util.parse_vn_number(criterion_06, 'count')
        + util.parse_vn_number(criterion_07, 'count') + util.parse_vn_number(criterion_08, 'count')
        + util.parse_vn_number(criterion_09, 'count') + util.parse_vn_number(criterion_10, 'count')
        + util.parse_vn_number(criterion_11, 'count') + util.parse_vn_number(criterion_12, 'count')
        + util.parse_vn_number(criterion_13, 'count') as criteria_sum
    from {batch}
) as summed
where total <> criteria_sum
