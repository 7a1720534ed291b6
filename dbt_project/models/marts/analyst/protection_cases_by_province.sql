-- Child-protection cases per province and period, with small cells suppressed: a count of 1-4, or one
-- whose complement within the period's cases is 1-4, is null; the median days to intervention is
-- withheld with the intervened cases it is computed from. No names or IDs.
with

counts as (

    select * from {{ ref('int_protection_cases_by_province') }}

),

flagged as (

    select
        *,
        {{ small_cell_flag('cases_total') }} as cases_total_suppressed,
        {{ small_cell_flag('abuse_cases', 'cases_total') }} as abuse_cases_suppressed,
        {{ small_cell_flag('drowning_cases', 'cases_total') }} as drowning_cases_suppressed,
        {{ small_cell_flag('intervened_cases', 'cases_total') }} as intervened_cases_suppressed
    from counts

),

final as (

    select
        province_code,
        province_name_vi,
        period,
        period_end_date,
        case when cases_total_suppressed then null else cases_total end as cases_total,
        case when abuse_cases_suppressed then null else abuse_cases end as abuse_cases,
        case when drowning_cases_suppressed then null else drowning_cases end as drowning_cases,
        case when intervened_cases_suppressed then null else intervened_cases end as intervened_cases,
        case
            when intervened_cases_suppressed then null else median_days_detection_to_intervention
        end as median_days_detection_to_intervention

    from flagged

)

select * from final
