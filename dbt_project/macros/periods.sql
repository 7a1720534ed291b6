{#
    Reporting periods of the submission contract: YYYY-Mmm (month), YYYY-Qn (quarter), YYYY-H1
    (Jan-Jun; H2 is read as Jul-Dec), YYYY-9M (Jan-Sep, cumulative), YYYY-Y (whole year).
    Anything else gives null.
#}

{% macro period_type(period) -%}
    {%- set value = "upper(" ~ clean_text(period) ~ ")" -%}
    case
        when {{ value }} ~ '^[0-9]{4}-M(0?[1-9]|1[0-2])$' then 'month'
        when {{ value }} ~ '^[0-9]{4}-Q[1-4]$' then 'quarter'
        when {{ value }} ~ '^[0-9]{4}-H[12]$' then 'half_year'
        when {{ value }} ~ '^[0-9]{4}-9M$' then 'nine_months'
        when {{ value }} ~ '^[0-9]{4}-Y$' then 'year'
    end
{%- endmacro %}

{% macro period_start_date(period) -%}
    {%- set value = "upper(" ~ clean_text(period) ~ ")" -%}
    {%- set year = "substring(" ~ value ~ " from '^([0-9]{4})')::int" -%}
    case {{ period_type(period) }}
        when 'month' then make_date({{ year }}, substring({{ value }} from 'M([0-9]{1,2})$')::int, 1)
        when 'quarter' then make_date({{ year }}, 3 * substring({{ value }} from 'Q([1-4])$')::int - 2, 1)
        when 'half_year' then make_date({{ year }}, case when {{ value }} like '%H2' then 7 else 1 end, 1)
        when 'nine_months' then make_date({{ year }}, 1, 1)
        when 'year' then make_date({{ year }}, 1, 1)
    end
{%- endmacro %}

{% macro period_end_date(period) -%}
    {%- set value = "upper(" ~ clean_text(period) ~ ")" -%}
    {%- set year = "substring(" ~ value ~ " from '^([0-9]{4})')::int" -%}
    case {{ period_type(period) }}
        when 'month'
            then (
                make_date({{ year }}, substring({{ value }} from 'M([0-9]{1,2})$')::int, 1)
                + interval '1 month' - interval '1 day'
            )::date
        when 'quarter'
            then (
                make_date({{ year }}, 3 * substring({{ value }} from 'Q([1-4])$')::int - 2, 1)
                + interval '3 months' - interval '1 day'
            )::date
        when 'half_year'
            then case
                when {{ value }} like '%H2' then make_date({{ year }}, 12, 31)
                else make_date({{ year }}, 6, 30)
            end
        when 'nine_months' then make_date({{ year }}, 9, 30)
        when 'year' then make_date({{ year }}, 12, 31)
    end
{%- endmacro %}
