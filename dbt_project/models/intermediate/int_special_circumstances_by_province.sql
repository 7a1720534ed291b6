-- Children in special circumstances (Article 10, Law on Children 2016) and support, per province and
-- period, from the current child_records submissions, before suppression (restricted; the analyst mart
-- special_circumstances_by_province publishes it suppressed). Stocks as at the period's last day: only
-- records still managed (record_status dang_quan_ly) count.
with

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'child_records'

),

child_records as (

    select * from {{ ref('int_child_records_linked') }}

),

provinces as (

    select * from {{ ref('stg_reference__provinces') }}

),

province_period_counts as (

    select
        province_code,
        period,
        count(*) as children_total,
        count(*) filter (where has_special_circumstance) as hcdb_children,
        count(*) filter (where has_special_circumstance and is_supported) as hcdb_supported,
        count(*) filter (where is_at_risk) as at_risk_children,
        count(*) filter (where is_at_risk and is_supported) as at_risk_supported,
        count(*) filter (where is_linked) as children_linked

    from child_records
    where is_active
    group by province_code, period

),

-- Every current submission gets a row, even when none of its records survived validation.
submission_counts as (

    select
        current_submissions.province_code,
        current_submissions.period,
        current_submissions.period_end_date,
        coalesce(province_period_counts.children_total, 0) as children_total,
        coalesce(province_period_counts.hcdb_children, 0) as hcdb_children,
        coalesce(province_period_counts.hcdb_supported, 0) as hcdb_supported,
        coalesce(province_period_counts.at_risk_children, 0) as at_risk_children,
        coalesce(province_period_counts.at_risk_supported, 0) as at_risk_supported,
        coalesce(province_period_counts.children_linked, 0) as children_linked

    from current_submissions
    left join province_period_counts
        on
            current_submissions.province_code = province_period_counts.province_code
            and current_submissions.period = province_period_counts.period

),

-- Province codes are reused across the July 2025 reform: the name is the one valid at period end.
final as (

    select
        submission_counts.province_code,
        provinces.name_vi as province_name_vi,
        submission_counts.period,
        submission_counts.period_end_date,
        submission_counts.children_total,
        submission_counts.hcdb_children,
        submission_counts.hcdb_supported,
        round(
            submission_counts.hcdb_supported::numeric / nullif(submission_counts.hcdb_children, 0), 4
        ) as hcdb_supported_share,
        submission_counts.at_risk_children,
        submission_counts.at_risk_supported,
        submission_counts.children_linked,
        round(
            submission_counts.children_linked::numeric / nullif(submission_counts.children_total, 0), 4
        ) as linked_share

    from submission_counts
    left join provinces
        on
            submission_counts.province_code = provinces.province_code
            and submission_counts.period_end_date >= provinces.valid_from
            and submission_counts.period_end_date <= coalesce(provinces.valid_to, date '9999-12-31')

)

select * from final
