-- The child-friendly commune assessments (Decision 06/2019/QĐ-TTg) as the current commune_assessment
-- submissions reported them: one row per province, year and commune assessed, with the recognition
-- recomputed from the scoring rules (reference.commune_assessment_rules) beside the province's own, how
-- far a commune is from recognition, and the commune of today its assessment carries to (none when the
-- 2025 crosswalk split it). Communes are public units: nothing here points to a child.
with

assessments as (

    select * from {{ ref('int_commune_assessment_accepted') }}

),

rules as (

    select * from {{ ref('stg_reference__commune_assessment_rules') }}

),

communes as (

    select * from {{ ref('dim_commune') }}

),

scored as (

    select
        assessments.*,
        array[
            {%- for i in range(1, 14) %}
                assessments.criterion_{{ '%02d' % i }}{{ ',' if not loop.last }}
            {%- endfor %}
        ] as scores,
        rules.min_total,
        rules.criterion_max
    from assessments
    left join rules
        on assessments.commune_type = rules.commune_type

),

judged as (

    select
        scored.*,
        (select sum(criteria.score) as total from unnest(scored.scores) as criteria (score)) as criteria_sum,
        (
            select count(*) as zeros from unnest(scored.scores) as criteria (score)
            where criteria.score = 0
        ) as zero_criteria,
        array(
            select criteria.position
            from unnest(scored.scores) with ordinality as criteria (score, position)
            where criteria.score = 0
            order by criteria.position
        ) as criteria_at_zero
    from scored

),

recomputed as (

    select
        judged.*,
        judged.zero_criteria = 0 and judged.criteria_sum >= judged.min_total as is_recognised_by_rules
    from judged

),

final as (

    select
        recomputed.province_code,
        recomputed.period,
        recomputed.period_end_date,
        recomputed.commune_code,
        communes.commune_name_vi,
        recomputed.commune_type,
        {%- for i in range(1, 14) %}
            recomputed.criterion_{{ '%02d' % i }},
        {%- endfor %}
        recomputed.total_score,
        recomputed.criteria_sum,
        recomputed.zero_criteria,
        recomputed.criteria_at_zero,
        recomputed.min_total,
        greatest(recomputed.min_total - recomputed.criteria_sum, 0) as points_short,
        recomputed.is_recognised_declared,
        recomputed.is_recognised_by_rules,
        coalesce(recomputed.is_recognised_declared <> recomputed.is_recognised_by_rules, false)
            as recognition_disagrees,
        recomputed.decision_no,
        communes.today_commune_code,
        communes.today_province_code,
        recomputed.submission_id,
        recomputed.source_row

    from recomputed
    left join communes
        on
            recomputed.commune_code = communes.commune_code
            and recomputed.period_end_date >= communes.valid_from
            and recomputed.period_end_date <= coalesce(communes.valid_to, date '9999-12-31')

)

select * from final
