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
