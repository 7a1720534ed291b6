{#
    The age groups the indicator reports and the marts use (age in whole years): the one list that
    dim_age_group publishes and every model that assigns a group reads.
#}
{% macro age_groups() -%}
    {{ return([
        {'age_group': '0-5', 'min_age_years': 0, 'max_age_years': 5,
         'name_vi': 'Từ 0 đến 5 tuổi', 'name_en': 'Aged 0-5'},
        {'age_group': '6-10', 'min_age_years': 6, 'max_age_years': 10,
         'name_vi': 'Từ 6 đến 10 tuổi', 'name_en': 'Aged 6-10'},
        {'age_group': '11-15', 'min_age_years': 11, 'max_age_years': 15,
         'name_vi': 'Từ 11 đến 15 tuổi', 'name_en': 'Aged 11-15'},
    ]) }}
{%- endmacro %}

{# The age group of an age in whole years; `otherwise` (a SQL literal) when it is in none, else null. #}
{% macro age_group(age_years, otherwise=none) -%}
    {%- set whens = [] -%}
    {%- for group in age_groups() -%}
        {%- do whens.append(
            "when (" ~ age_years ~ ") between " ~ group.min_age_years ~ " and " ~ group.max_age_years
            ~ " then '" ~ group.age_group ~ "'"
        ) -%}
    {%- endfor -%}
    {%- if otherwise is not none -%}
        {%- do whens.append("else " ~ otherwise) -%}
    {%- endif -%}
    case {{ whens | join(' ') }} end
{%- endmacro %}
