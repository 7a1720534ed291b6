{#
    A date sent as text, in the forms the contract allows:
      dd/mm/yyyy and d/m/yyyy (day first; '.' and '-' also accepted as separators),
      yyyy-mm-dd (optionally followed by a time, as systems export it),
      Excel serial numbers (days since 1899-12-30, up to 5 integer digits; a time fraction is dropped).
    Never mm/dd/yyyy: '12/31/2026' has month 31, so it is null, as is any impossible date
    (31/02/2026) or a year outside 1800-2200. Never raises.
#}
{% macro parse_vn_date(expression) -%}
    {%- set value = clean_text(expression) -%}
    {%- set day_first = '^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$' -%}
    {%- set year_first = '^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})([ T].*)?$' -%}
    case
        when {{ value }} ~ '{{ day_first }}'
            then {{ _checked_date(
                "substring(" ~ value ~ " from '^[0-9]{1,2}[/.-][0-9]{1,2}[/.-]([0-9]{4})$')::int",
                "substring(" ~ value ~ " from '^[0-9]{1,2}[/.-]([0-9]{1,2})[/.-]')::int",
                "substring(" ~ value ~ " from '^([0-9]{1,2})[/.-]')::int"
            ) }}
        when {{ value }} ~ '{{ year_first }}'
            then {{ _checked_date(
                "substring(" ~ value ~ " from '^([0-9]{4})-')::int",
                "substring(" ~ value ~ " from '^[0-9]{4}-([0-9]{1,2})-')::int",
                "substring(" ~ value ~ " from '^[0-9]{4}-[0-9]{1,2}-([0-9]{1,2})')::int"
            ) }}
        when {{ value }} ~ '^[0-9]{1,5}([.][0-9]+)?$'
            then case
                when {{ value }}::numeric >= 1
                    then date '1899-12-30' + floor({{ value }}::numeric)::int
            end
    end
{%- endmacro %}

{#
    make_date() only once the parts are known to form a real date: the nested case keeps
    PostgreSQL from evaluating make_date() on impossible parts.
#}
{% macro _checked_date(year, month, day) -%}
    case
        when {{ year }} between 1800 and 2200 and {{ month }} between 1 and 12 and {{ day }} between 1 and 31
            then case
                when {{ day }} <= extract(
                    day from make_date({{ year }}, {{ month }}, 1) + interval '1 month' - interval '1 day'
                )
                    then make_date({{ year }}, {{ month }}, {{ day }})
            end
    end
{%- endmacro %}
