{#
    A number written the Vietnamese way ('492.832' = 492832, '98,6' = 98.6) or plainly. The parsing
    lives once in util.parse_vn_number (include/child_warehouse/db/sql/0008_numbers.sql), which the
    validation rules use too: style 'count' reads '1.234' as 1234, style 'decimal' (rates) as 1.234.
#}
{% macro parse_vn_number(expression, style='count') -%}
    util.parse_vn_number({{ expression }}, '{{ style }}')
{%- endmacro %}
