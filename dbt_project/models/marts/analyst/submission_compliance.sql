-- Submission compliance against the reporting calendar (submission contract, section 6): one row per
-- province, period and submission type that was expected (deadline passed) or received. On time when
-- the first file arrived by the deadline (a day in Asia/Ho_Chi_Minh); late files are accepted, not
-- refused. The verdict is the current accepted version's, else the latest file's (rejected, ...).
with

expected as (

    select * from {{ ref('fct_submissions_expected') }}

),

current_submissions as (

    select * from {{ ref('int_submissions_current') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

provinces as (

    select * from {{ ref('dim_province') }}

),

received as (

    select * from {{ ref('int_submissions_received') }}

),

last_periods as (

    select
        submission_type,
        max(period_end_date) as last_period_end_date
    from expected
    group by submission_type

),

joined as (

    select
        coalesce(expected.province_code, received.province_code) as province_code,
        coalesce(expected.period, received.period) as period,
        coalesce(expected.submission_type, received.submission_type) as submission_type,
        expected.province_code is not null as is_expected,
        received.files_received,
        received.first_arrived_at,
        received.last_arrived_at,
        received.latest_status,
        received.latest_reason_code,
        received.files_rejected
    from expected
    full outer join received
        on
            expected.province_code = received.province_code
            and expected.period = received.period
            and expected.submission_type = received.submission_type

),

final as (

    select
        joined.province_code,
        case
            when joined.province_code = 'national' then 'Tổng đài 111 (national hotline 111)'
            else provinces.province_name_vi
        end as province_name_vi,
        joined.period,
        periods.period_type,
        periods.period_end_date,
        joined.submission_type,
        periods.deadline_date,
        joined.is_expected,
        joined.files_received is not null as is_received,
        coalesce(joined.files_received, 0) as files_received,
        greatest(coalesce(joined.files_received, 0) - 1, 0) as resubmissions,
        coalesce(joined.files_rejected, 0) as files_rejected,
        joined.first_arrived_at,
        joined.last_arrived_at,
        (joined.first_arrived_at at time zone 'Asia/Ho_Chi_Minh')::date
        <= periods.deadline_date as is_on_time,
        (joined.first_arrived_at at time zone 'Asia/Ho_Chi_Minh')::date > periods.deadline_date as is_late,
        greatest((joined.first_arrived_at at time zone 'Asia/Ho_Chi_Minh')::date - periods.deadline_date, 0)
            as days_late,
        current_submissions.version as current_version,
        coalesce(current_submissions.status, joined.latest_status, 'missing') as verdict,
        current_submissions.submission_id is not null as is_accepted,
        joined.latest_status in ('rejected', 'load_failed') as is_latest_file_rejected,
        case when joined.latest_status in ('rejected', 'load_failed') then joined.latest_reason_code end
            as latest_rejection_code,
        joined.files_received is not null and current_submissions.submission_id is null
        and joined.latest_status in ('rejected', 'load_failed') as is_rejected,
        case
            when joined.files_received is null then 'missing'
            when current_submissions.submission_id is null
                and joined.latest_status in ('rejected', 'load_failed')
                then 'rejected'
            when current_submissions.submission_id is null then 'in_progress'
            when (joined.first_arrived_at at time zone 'Asia/Ho_Chi_Minh')::date > periods.deadline_date
                then 'late'
            else 'on_time'
        end as compliance_status,
        periods.period_end_date = last_periods.last_period_end_date as is_last_period

    from joined
    inner join periods
        on joined.period = periods.period
    left join current_submissions
        on
            joined.province_code = current_submissions.province_code
            and joined.period = current_submissions.period
            and joined.submission_type = current_submissions.submission_type
    left join last_periods
        on joined.submission_type = last_periods.submission_type
    left join provinces
        on
            joined.province_code = provinces.province_code
            and periods.period_end_date between provinces.valid_from and coalesce(
                provinces.valid_to, date '9999-12-31'
            )

)

select * from final
