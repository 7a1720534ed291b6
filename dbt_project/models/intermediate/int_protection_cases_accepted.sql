-- Rows of the current protection_cases submissions, less the rows validation marked as errors.
-- A case_id repeated within a file keeps its first row only (validation reports the repeat).
with

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'protection_cases'

),

protection_cases as (

    select * from {{ ref('stg_raw__protection_cases') }}

),

rows_with_errors as (

    select * from {{ ref('int_rows_quarantined') }}

),

cases_without_errors as (

    select
        protection_cases.*,
        current_submissions.province_code,
        current_submissions.period,
        current_submissions.period_end_date,
        row_number() over (
            partition by protection_cases.submission_id, protection_cases.case_id
            order by protection_cases.source_row
        ) as case_occurrence

    from protection_cases
    inner join current_submissions
        on protection_cases.submission_id = current_submissions.submission_id
    left join rows_with_errors
        on
            protection_cases.submission_id = rows_with_errors.submission_id
            and protection_cases.source_row = rows_with_errors.source_row
    where
        rows_with_errors.source_row is null
        and protection_cases.case_id is not null

),

final as (

    select
        submission_id,
        source_row,
        province_code,
        period,
        period_end_date,
        case_id,
        record_id,
        personal_id,
        commune_code,
        birth_date,
        sex,
        case_type,
        case_type in (
            'xam_hai_tinh_duc', 'bao_luc', 'boc_lot', 'mua_ban', 'bo_roi', 'xam_hai_khac'
        ) as is_abuse_case,
        case_type = 'duoi_nuoc' as is_drowning_case,
        occurred_date,
        detected_date,
        outcome,
        intervention_status,
        intervention_status = 'da_can_thiep' as is_intervened,
        intervened_date,
        case
            when intervened_date >= detected_date then intervened_date - detected_date
        end as days_detection_to_intervention

    from cases_without_errors
    where case_occurrence = 1

)

select * from final
