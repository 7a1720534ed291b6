-- The offending `value` is left out on purpose: it can hold a name or an ID, and nothing downstream needs it.
with

source as (

    select * from {{ source('dq', 'row_issues') }}

),

numbered as (

    select
        submission_id,
        source_row,
        column_name,
        rule as rule_name,
        severity,
        reason_vi,
        reason_en,
        row_number() over (
            partition by submission_id, source_row, column_name, rule, severity
            order by reason_en, reason_vi, value
        ) as occurrence

    from source

),

final as (

    select
        md5(
            concat_ws(
                '|',
                submission_id,
                coalesce(source_row::text, ''),
                coalesce(column_name, ''),
                rule_name,
                severity,
                occurrence
            )
        ) as row_issue_id,
        submission_id,
        source_row,
        column_name,
        rule_name,
        severity,
        reason_vi,
        reason_en,
        severity = 'error' as is_error,
        source_row is null as is_file_level

    from numbered

)

select * from final
