-- Raw rows that validation marked with at least one error: they never reach the marts.
with

row_issues as (

    select * from {{ ref('stg_dq__row_issues') }}

),

final as (

    select distinct
        submission_id,
        source_row
    from row_issues
    where is_error and source_row is not null

)

select * from final
