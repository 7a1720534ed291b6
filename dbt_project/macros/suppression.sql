{#
    Small-cell suppression for analyst-facing marts. A count of 1 to min_cell_size - 1 (var
    `min_cell_size`, default 5) is never published: it could point to a child. 0 is published (it
    reveals no one). Secondary suppression: a count is also withheld when its complement within its
    parent (parent - count: e.g. children in special circumstances NOT supported) is small, since
    publishing both would reveal the complement by difference; and when `also_when` says so (a
    merged province's figure when one of the provinces it sums was suppressed in the as-reported
    view, so the 63- and 34-province views cannot be subtracted from each other).
#}

{% macro is_small_cell(expression) -%}
    coalesce(({{ expression }}) >= 1 and ({{ expression }}) < {{ var('min_cell_size', 5) }}, false)
{%- endmacro %}

{# True when the count must be withheld (primary, complement, or the caller's extra condition). #}
{% macro small_cell_flag(value, parent=none, also_when=none) -%}
    {%- set conditions = [is_small_cell(value)] -%}
    {%- if parent is not none -%}
        {%- do conditions.append(is_small_cell('(' ~ parent ~ ') - (' ~ value ~ ')')) -%}
    {%- endif -%}
    {%- if also_when is not none -%}
        {%- do conditions.append('coalesce(' ~ also_when ~ ', false)') -%}
    {%- endif -%}
    ({{ conditions | join(' or ') }})
{%- endmacro %}

{# The count, or null when small_cell_flag says to withhold it. #}
{% macro suppress_small_cell(value, parent=none, also_when=none) -%}
    case when {{ small_cell_flag(value, parent, also_when) }} then null else {{ value }} end
{%- endmacro %}
