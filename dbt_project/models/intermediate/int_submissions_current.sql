-- A resubmission supersedes earlier versions only once it is accepted: a rejected newer file
-- leaves the last accepted version current.
with

submissions as (

    select * from {{ ref('stg_ledger__submissions') }}

),

periods as (

    select * from {{ ref('int_periods') }}

),

accepted_submissions as (

    select
        submission_id,
        province_code,
        period,
        submission_type,
        version,
        status,
        rows_in_file,
        rows_with_errors,
        rows_with_warnings,
        arrived_at,
        validated_at,
        linked_at,
        matched_at,
        empty_means_no,
        row_number() over (
            partition by province_code, period, submission_type
            order by version desc
        ) as version_rank,
        count(*) over (
            partition by province_code, period, submission_type
        ) as accepted_versions

    from submissions
    where is_accepted

),

final as (

    select
        accepted_submissions.submission_id,
        accepted_submissions.province_code,
        accepted_submissions.period,
        periods.period_type,
        periods.period_start_date,
        periods.period_end_date,
        accepted_submissions.submission_type,
        accepted_submissions.version,
        accepted_submissions.status,
        accepted_submissions.accepted_versions - 1 as superseded_versions,
        accepted_submissions.rows_in_file,
        accepted_submissions.rows_with_errors,
        accepted_submissions.rows_with_warnings,
        accepted_submissions.arrived_at,
        accepted_submissions.validated_at,
        accepted_submissions.linked_at,
        accepted_submissions.matched_at,
        accepted_submissions.empty_means_no

    from accepted_submissions
    inner join periods
        on accepted_submissions.period = periods.period
    where accepted_submissions.version_rank = 1

)

select * from final
