{#
    Split a ';'-separated list cell (',' also accepted) into its non-empty, trimmed items, one row
    each: used as `cross join lateral {{ split_list('column') }} as item (item_text)`.
#}
{% macro split_list(expression) -%}
    regexp_split_to_table({{ clean_text(expression) }}, '\s*[;,]\s*')
{%- endmacro %}

{#
    One Article 10 item as the key to look it up in the special_circumstances seed: the law's
    letter in lower case with 'dd' (and Đ, or the look-alike Ð) read as 'đ', or the group's number
    without leading zeros ('05' -> '5').
#}
{% macro special_circumstance_key(expression) -%}
    case
        when {{ clean_text(expression) }} ~ '^[0-9]+$' then ltrim({{ clean_text(expression) }}, '0')
        when lower({{ clean_text(expression) }}) = 'dd' then 'đ'
        else lower(translate({{ clean_text(expression) }}, 'ĐÐð', 'đđđ'))
    end
{%- endmacro %}

{#
    An ethnic group as sent (its code '01'-'54', Excel may drop the zero, or its name with or without
    diacritics, hyphens or spaces: 'Khơ-me', 'kho me') as the key to look it up in the ethnic_groups seed.
#}
{% macro ethnicity_key(expression) -%}
    case
        when {{ clean_text(expression) }} ~ '^[0-9]{1,2}$' then lpad({{ clean_text(expression) }}, 2, '0')
        else regexp_replace({{ fold_vn_text(expression) }}, '[^a-z0-9]', '', 'g')
    end
{%- endmacro %}
