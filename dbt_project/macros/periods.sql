{#
    Reporting periods of the submission contract: YYYY-Mmm (month), YYYY-Qn (quarter), YYYY-H1
    (Jan-Jun; H2 is read as Jul-Dec), YYYY-9M (Jan-Sep, cumulative), YYYY-Y (whole year).
    Anything else gives null.
#}

{% macro period_type(period) -%}
    util.period_type({{ period }})
{%- endmacro %}

{% macro period_start_date(period) -%}
    util.period_start_date({{ period }})
{%- endmacro %}

{% macro period_end_date(period) -%}
    util.period_end_date({{ period }})
{%- endmacro %}

{# How many calendar months the period spans (1 for a month, 9 for 9M). #}
{% macro period_months(period) -%}
    (
        (extract(year from {{ period_end_date(period) }}) - extract(year from {{ period_start_date(period) }})) * 12
        + extract(month from {{ period_end_date(period) }}) - extract(month from {{ period_start_date(period) }}) + 1
    )::int
{%- endmacro %}

{#
    The submission deadline of the contract's reporting calendar (section 6): 10 days after a month
    (protection_cases), 15 days after any longer period (child_records quarters; H1, 9M, Y reports).
    The days are project variables: the official deadlines are not public.
#}
{% macro period_deadline(period) -%}
    (
        {{ period_end_date(period) }}
        + case
            when {{ period_type(period) }} = 'month' then {{ var('deadline_days_after_month', 10) }}
            else {{ var('deadline_days_after_longer_period', 15) }}
        end
    )
{%- endmacro %}

{# True when the month `month_period` lies inside `period` (e.g. 2026-M03 inside 2026-Q1, H1, 9M, Y). #}
{% macro month_within(month_start_date, month_end_date, period_start_date, period_end_date) -%}
    ({{ month_start_date }} >= {{ period_start_date }} and {{ month_end_date }} <= {{ period_end_date }})
{%- endmacro %}

{#
    Rebasing onto today's provinces: how many provinces existed at a period's end in today's
    province's area. `merged_province_counts` counts, per today's province, the pre-reform provinces
    that merged into it (from a relation of the crosswalk: old_province_code, new_province_code);
    `provinces_expected` is that count before the July 2025 reform, and 1 after.
#}
{% macro merged_province_counts(crosswalk) -%}
    select
        new_province_code as province_code,
        count(*) as provinces_merged
    from {{ crosswalk }}
    group by new_province_code
{%- endmacro %}

{% macro provinces_expected(period_end_date, provinces_merged) -%}
    case when {{ period_end_date }} < date '2025-07-01' then coalesce({{ provinces_merged }}, 1) else 1 end
{%- endmacro %}
