-- Stocks for the scorecard, computed from the individual records: one row per province and calendar
-- period (dim_period) whose last day is the last day of a current child_records submission. Stocks are
-- as at the period's last day, so 2026-Q3, 2026-M09 and 2026-9M all read the 2026-Q3 submission; when
-- two submissions end on the same day, the shorter (the later-starting) one is used.
with

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'child_records'

),

child_records as (

    select * from {{ ref('int_child_records_accepted') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

submission_counts as (

    select
        submission_id,
        count(*) as children_total,
        count(*) filter (where has_special_circumstance) as hcdb_children,
        count(*) filter (where has_special_circumstance and is_supported) as hcdb_supported,
        count(*) filter (where is_at_risk) as at_risk_children,
        count(*) filter (where is_at_risk and is_supported) as at_risk_supported,
        count(*) filter (where household_poverty = 'ngheo') as poor_children,
        count(*) filter (where household_poverty = 'can_ngheo') as near_poor_children
    from child_records
    where is_active
    group by submission_id

),

submissions_by_period as (

    select
        current_submissions.province_code,
        periods.period,
        current_submissions.submission_id,
        current_submissions.period as stock_period,
        row_number() over (
            partition by current_submissions.province_code, periods.period
            order by current_submissions.period_start_date desc
        ) as submission_rank
    from current_submissions
    inner join periods
        on
            current_submissions.period_end_date = periods.period_end_date
            and periods.period_type <> 'month'

),

final as (

    select
        submissions_by_period.province_code,
        submissions_by_period.period,
        submissions_by_period.stock_period,
        coalesce(submission_counts.children_total, 0) as children_total,
        coalesce(submission_counts.hcdb_children, 0) as hcdb_children,
        coalesce(submission_counts.hcdb_supported, 0) as hcdb_supported,
        coalesce(submission_counts.at_risk_children, 0) as at_risk_children,
        coalesce(submission_counts.at_risk_supported, 0) as at_risk_supported,
        coalesce(submission_counts.poor_children, 0) as poor_children,
        coalesce(submission_counts.near_poor_children, 0) as near_poor_children

    from submissions_by_period
    left join submission_counts
        on submissions_by_period.submission_id = submission_counts.submission_id
    where submissions_by_period.submission_rank = 1

)

select * from final
