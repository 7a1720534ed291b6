{#
    A number written the Vietnamese way ('492.832' = 492832, '98,6' = 98.6) or plainly ('492832', '98.6').
    Spaces, non-breaking spaces and a '%' sign are ignored. Empty -> null ("not reported", not 0).
    The contract lets the column's type settle ambiguous values:
      style='count'   (people, cases, money): a '.' or ',' followed by groups of exactly three digits
                      is a thousands separator, so '1.234' = 1234 and '1,234' = 1234;
      style='decimal' (rates, %): a single '.' or ',' is the decimal mark, so '1.234' = 1.234.
    With both marks, the last one is the decimal mark ('1.234,5' = 1234.5, '1,234.5' = 1234.5).
#}
{% macro parse_vn_number(expression, style='count') -%}
    {%- set value = "translate(" ~ clean_text(expression) ~ ", ' %' || chr(160) || chr(8239), '')" -%}
    {%- if style == 'count' -%}
        case
            when {{ value }} ~ '^-?[0-9]+$' then {{ value }}::numeric
            when {{ value }} ~ '^-?[0-9]{1,3}([.][0-9]{3})+$' then replace({{ value }}, '.', '')::numeric
            when {{ value }} ~ '^-?[0-9]{1,3}(,[0-9]{3})+$' then replace({{ value }}, ',', '')::numeric
            when {{ value }} ~ '^-?[0-9]+,[0-9]+$' then replace({{ value }}, ',', '.')::numeric
            when {{ value }} ~ '^-?[0-9]+[.][0-9]+$' then {{ value }}::numeric
            when {{ value }} ~ '^-?[0-9]{1,3}([.][0-9]{3})+,[0-9]+$'
                then replace(replace({{ value }}, '.', ''), ',', '.')::numeric
            when {{ value }} ~ '^-?[0-9]{1,3}(,[0-9]{3})+[.][0-9]+$' then replace({{ value }}, ',', '')::numeric
        end
    {%- else -%}
        case
            when {{ value }} ~ '^-?[0-9]+$' then {{ value }}::numeric
            when {{ value }} ~ '^-?[0-9]+,[0-9]+$' then replace({{ value }}, ',', '.')::numeric
            when {{ value }} ~ '^-?[0-9]+[.][0-9]+$' then {{ value }}::numeric
            when {{ value }} ~ '^-?[0-9]{1,3}([.][0-9]{3})+,[0-9]+$'
                then replace(replace({{ value }}, '.', ''), ',', '.')::numeric
            when {{ value }} ~ '^-?[0-9]{1,3}(,[0-9]{3})+[.][0-9]+$' then replace({{ value }}, ',', '')::numeric
        end
    {%- endif -%}
{%- endmacro %}
