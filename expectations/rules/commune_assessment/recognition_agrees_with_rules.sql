-- recognition_agrees_with_rules: the province's recognised ({value}) is not what the rules give (every criterion above 0 and the criteria's sum at least the type's minimum total); the reason names what decides it: the first criterion scoring 0, or the sum against the minimum.
with scored as (
    select
        sent.source_row,
        sent.recognised,
        util.parse_yes_no(sent.recognised) as declared,
        rules.min_total,
        util.normalise_code(sent.commune_type) as commune_type,
        array[
            util.parse_vn_number(sent.criterion_01, 'count'),
            util.parse_vn_number(sent.criterion_02, 'count'),
            util.parse_vn_number(sent.criterion_03, 'count'),
            util.parse_vn_number(sent.criterion_04, 'count'),
            util.parse_vn_number(sent.criterion_05, 'count'),
            util.parse_vn_number(sent.criterion_06, 'count'),
            util.parse_vn_number(sent.criterion_07, 'count'),
            util.parse_vn_number(sent.criterion_08, 'count'),
            util.parse_vn_number(sent.criterion_09, 'count'),
            util.parse_vn_number(sent.criterion_10, 'count'),
            util.parse_vn_number(sent.criterion_11, 'count'),
            util.parse_vn_number(sent.criterion_12, 'count'),
            util.parse_vn_number(sent.criterion_13, 'count')
        ] as scores
    from {batch} as sent
    inner join reference.commune_assessment_rules as rules
        on util.normalise_code(sent.commune_type) = rules.commune_type
),

judged as (
    select
        source_row,
        recognised,
        declared,
        min_total,
        commune_type,
        array_position(scores, 0) as first_zero,
        (select sum(s) from unnest(scores) as s) as criteria_sum
    from scored
    where declared is not null and array_position(scores, null) is null
)

select
    source_row,
    recognised,
    case
        when first_zero is not null
            then format('tiêu chí %s được 0 điểm', first_zero)
        when criteria_sum < min_total
            then format(
                    'tổng các tiêu chí %s thấp hơn mức tối thiểu %s của loại %s',
                    criteria_sum,
                    min_total,
                    commune_type
                )
        else format(
                'mọi tiêu chí trên 0 và tổng %s đạt mức tối thiểu %s của loại %s',
                criteria_sum,
                min_total,
                commune_type
            )
    end as deciding_vi,
    case
        when first_zero is not null
            then format('criterion %s scores 0', first_zero)
        when criteria_sum < min_total
            then format(
                    'the criteria add up to %s, below the minimum %s for %s',
                    criteria_sum,
                    min_total,
                    commune_type
                )
        else format(
                'every criterion is above 0 and the total %s reaches the minimum %s for %s',
                criteria_sum, min_total, commune_type
            )
    end as deciding_en,
    case when declared then 'không / no' else 'có / yes' end as recomputed
from judged
where declared <> (first_zero is null and criteria_sum >= min_total)
