-- How the communes a province assessed scored on each of the 13 criteria, per year: quartiles, the
-- mean, and how many scored 0 (a 0 on any criterion bars recognition). Communes are public units;
-- nothing is suppressed.
with

assessments as (

    select * from {{ ref('fct_commune_assessments') }}

),

criteria as (

    select
        assessments.province_code,
        assessments.period,
        assessments.period_end_date,
        scores.criterion,
        scores.score
    from assessments
    cross join lateral unnest(array[
        {%- for i in range(1, 14) %}
            assessments.criterion_{{ '%02d' % i }}{{ ',' if not loop.last }}
        {%- endfor %}
    ]) with ordinality as scores (score, criterion)

),

final as (

    select
        province_code,
        period,
        max(period_end_date) as period_end_date,
        criterion,
        count(score) as communes_scored,
        count(*) filter (where score = 0) as communes_scoring_zero,
        min(score) as min_score,
        percentile_cont(0.25) within group (order by score)::numeric as p25_score,
        percentile_cont(0.5) within group (order by score)::numeric as median_score,
        percentile_cont(0.75) within group (order by score)::numeric as p75_score,
        max(score) as max_score,
        round(avg(score), 1) as mean_score

    from criteria
    group by province_code, period, criterion

)

select * from final
