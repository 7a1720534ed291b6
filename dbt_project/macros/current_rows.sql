{#
    The rows of a type's current submissions (int_submissions_current: the highest accepted version of
    each province, period and type) that validation did not mark as errors, each with its submission's
    province, period and period end, and its `occurrence` among the file's rows of the same `key`
    (1 for the first; 1 for every row when no key is given). Rows whose `required` column is null are
    left out. For the models of the newer types; the first three types have their own older models.
#}
{% macro current_rows_without_errors(submission_type, staging_model, key=[], required=none) -%}
    {%- set partition = ['typed_rows.submission_id'] -%}
    {%- for column in key -%}{%- do partition.append('typed_rows.' ~ column) -%}{%- endfor -%}
    {%- set occurrence = (
        'row_number() over (partition by ' ~ partition | join(', ') ~ ' order by typed_rows.source_row)'
    ) if key else '1' -%}
    {%- set required_filter = ('typed_rows.' ~ required ~ ' is not null') if required else 'true' -%}
    select
        typed_rows.*,
        current_submissions.province_code,
        current_submissions.period,
        current_submissions.period_end_date,
        {{ occurrence }} as occurrence
    from {{ ref(staging_model) }} as typed_rows
    inner join {{ ref('int_submissions_current') }} as current_submissions
        on
            typed_rows.submission_id = current_submissions.submission_id
            and current_submissions.submission_type = '{{ submission_type }}'
    left join {{ ref('int_rows_quarantined') }} as rows_with_errors
        on
            typed_rows.submission_id = rows_with_errors.submission_id
            and typed_rows.source_row = rows_with_errors.source_row
    where rows_with_errors.source_row is null and {{ required_filter }}
{%- endmacro %}
