-- Lines of the current programme_activities submissions, less the rows validation marked as errors.
-- Rows are not keyed: two rows of the same activity type are two lines of the province's report.
with

rows_without_errors as (

    {{ current_rows_without_errors(
        'programme_activities', 'stg_raw__programme_activities', key=[], required='activity_type'
    ) }}

),

final as (

    select
        submission_id,
        source_row,
        province_code,
        period,
        period_end_date,
        activity_type,
        commune_code,
        activities,
        children_reached,
        spending_vnd,
        note

    from rows_without_errors
    where occurrence = 1

)

select * from final
