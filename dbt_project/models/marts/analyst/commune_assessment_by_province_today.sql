-- commune_assessment_by_province rebased onto today's 34 provinces and 3,321 communes, so a series runs
-- across the July 2025 reform. After the reform a year counts as reported. Before it, a commune of
-- today counts as recognised in a year only when every commune it was made of went into it whole (the
-- 2025 crosswalk's is_partial is false) and each of them was assessed and recognised by its province
-- that year: a commune split in 2025 carries its assessment to none of its successors. A commune of
-- today with a split predecessor is not comparable (communes_not_comparable), and one whose
-- predecessors were not all assessed is not assessed. communes_expected_reporting says how many
-- provinces of that year lie in today's province, communes_reporting how many of them sent the year.
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

crosswalk as (

    select * from {{ ref('int_commune_successors') }}

),

provinces as (

    select * from {{ ref('dim_province') }}

),

-- The years anyone sent, rebased: each province of the year and the province of today it lies in.
years as (

    select
        current_submissions.period,
        current_submissions.period_end_date,
        provinces.today_province_code as province_code,
        count(*) as provinces_reporting
    from current_submissions
    inner join provinces
        on
            current_submissions.province_code = provinces.province_code
            and current_submissions.period_end_date >= provinces.valid_from
            and current_submissions.period_end_date <= coalesce(provinces.valid_to, date '9999-12-31')
    group by current_submissions.period, current_submissions.period_end_date, provinces.today_province_code

),

provinces_expected as (

    select
        years.period,
        years.province_code,
        count(provinces.province_code) as provinces_expected
    from years
    inner join provinces
        on
            years.province_code = provinces.today_province_code
            and years.period_end_date >= provinces.valid_from
            and years.period_end_date <= coalesce(provinces.valid_to, date '9999-12-31')
    group by years.period, years.province_code

),

today_communes as (

    select
        commune_code,
        province_code
    from communes
    where is_current

),

-- Each commune of today with what each of its predecessors says in the year (pre-reform years).
predecessors as (

    select
        years.period,
        years.province_code,
        crosswalk.new_commune_code as commune_code,
        bool_or(crosswalk.is_partial) as has_split_predecessor,
        bool_and(assessments.commune_code is not null) as all_assessed,
        bool_and(coalesce(assessments.is_recognised_declared, false)) as all_recognised,
        bool_and(coalesce(assessments.is_recognised_by_rules, false)) as all_recognised_by_rules
    from years
    inner join crosswalk
        on years.province_code = crosswalk.new_province_code
    left join assessments
        on
            crosswalk.old_commune_code = assessments.commune_code
            and crosswalk.old_province_code = assessments.province_code
            and years.period = assessments.period
    where years.period_end_date < date '2025-07-01'
    group by years.period, years.province_code, crosswalk.new_commune_code

),

rebased as (

    select
        years.period,
        years.province_code,
        today_communes.commune_code,
        case
            when years.period_end_date >= date '2025-07-01' then false
            else coalesce(predecessors.has_split_predecessor, true)
        end as is_not_comparable,
        case
            when years.period_end_date >= date '2025-07-01' then assessments.commune_code is not null
            else coalesce(not predecessors.has_split_predecessor and predecessors.all_assessed, false)
        end as is_assessed,
        case
            when years.period_end_date >= date '2025-07-01'
                then coalesce(assessments.is_recognised_declared, false)
            else coalesce(not predecessors.has_split_predecessor and predecessors.all_recognised, false)
        end as is_recognised,
        case
            when years.period_end_date >= date '2025-07-01'
                then coalesce(assessments.is_recognised_by_rules, false)
            else coalesce(
                    not predecessors.has_split_predecessor and predecessors.all_recognised_by_rules, false
                )
        end as is_recognised_by_rules
    from years
    inner join today_communes
        on years.province_code = today_communes.province_code
    left join assessments
        on
            today_communes.commune_code = assessments.commune_code
            and years.province_code = assessments.province_code
            and years.period = assessments.period
            and years.period_end_date >= date '2025-07-01'
    left join predecessors
        on
            years.period = predecessors.period
            and years.province_code = predecessors.province_code
            and today_communes.commune_code = predecessors.commune_code

),

final as (

    select
        rebased.province_code,
        max(provinces.province_name_vi) as province_name_vi,
        rebased.period,
        max(years.period_end_date) as period_end_date,
        max(years.provinces_reporting) as provinces_reporting,
        max(provinces_expected.provinces_expected) as provinces_expected,
        count(*) as communes_total,
        count(*) filter (where rebased.is_assessed) as communes_assessed,
        count(*) filter (where rebased.is_recognised) as communes_recognised,
        count(*) filter (where rebased.is_recognised_by_rules) as communes_recognised_by_rules,
        count(*) filter (where rebased.is_not_comparable) as communes_not_comparable,
        round(count(*) filter (where rebased.is_recognised)::numeric / nullif(count(*), 0), 4)
            as recognised_share

    from rebased
    inner join years
        on rebased.period = years.period and rebased.province_code = years.province_code
    inner join provinces_expected
        on rebased.period = provinces_expected.period
            and rebased.province_code = provinces_expected.province_code
    left join provinces
        on rebased.province_code = provinces.province_code and provinces.is_current
    group by rebased.province_code, rebased.period

)

select * from final
