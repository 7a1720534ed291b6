{#
    A date sent as text, in the forms the contract allows (dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd with an
    optional time, Excel serials; never mm/dd/yyyy). The parsing lives once, in the warehouse function
    util.parse_vn_date (include/child_warehouse/db/sql/0003_parsing_functions.sql), so validation,
    linkage and these models read a date the same way. Never raises: unreadable is null.
#}
{% macro parse_vn_date(expression) -%}
    util.parse_vn_date({{ expression }})
{%- endmacro %}
