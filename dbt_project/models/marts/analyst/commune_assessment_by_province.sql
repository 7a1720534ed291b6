-- Child-friendly communes per province and year, on the boundaries of the year's end (63 provinces
-- before the July 2025 reform, 34 after): communes of the province then, those assessed, those the
-- province recognised, and those the scoring rules recognise. Communes are public units, so nothing is
-- suppressed. The share is of every commune of the province, assessed or not.
with

assessments as (

    select * from {{ ref('fct_commune_assessments') }}

),

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'commune_assessment'

),

communes as (

    select * from {{ ref('dim_commune') }}

),

provinces as (

    select * from {{ ref('dim_province') }}

),

communes_then as (

    select
        current_submissions.province_code,
        current_submissions.period,
        count(communes.commune_code) as communes_total
    from current_submissions
    left join communes
        on
            current_submissions.province_code = communes.province_code
            and current_submissions.period_end_date >= communes.valid_from
            and current_submissions.period_end_date <= coalesce(communes.valid_to, date '9999-12-31')
    group by current_submissions.province_code, current_submissions.period

),

counted as (

    select
        province_code,
        period,
        count(*) as communes_assessed,
        count(*) filter (where is_recognised_declared) as communes_recognised,
        count(*) filter (where is_recognised_by_rules) as communes_recognised_by_rules,
        count(*) filter (where recognition_disagrees) as recognition_disagreements,
        percentile_cont(0.5) within group (order by criteria_sum) as median_total_score
    from assessments
    group by province_code, period

),

final as (

    select
        current_submissions.province_code,
        provinces.province_name_vi,
        current_submissions.period,
        current_submissions.period_end_date,
        communes_then.communes_total,
        coalesce(counted.communes_assessed, 0) as communes_assessed,
        coalesce(counted.communes_recognised, 0) as communes_recognised,
        coalesce(counted.communes_recognised_by_rules, 0) as communes_recognised_by_rules,
        coalesce(counted.recognition_disagreements, 0) as recognition_disagreements,
        round(coalesce(counted.communes_recognised, 0)::numeric / nullif(communes_then.communes_total, 0), 4)
            as recognised_share,
        counted.median_total_score::numeric as median_total_score

    from current_submissions
    inner join communes_then
        on
            current_submissions.province_code = communes_then.province_code
            and current_submissions.period = communes_then.period
    left join counted
        on
            current_submissions.province_code = counted.province_code
            and current_submissions.period = counted.period
    left join provinces
        on
            current_submissions.province_code = provinces.province_code
            and current_submissions.period_end_date >= provinces.valid_from
            and current_submissions.period_end_date <= coalesce(provinces.valid_to, date '9999-12-31')

)

select * from final
