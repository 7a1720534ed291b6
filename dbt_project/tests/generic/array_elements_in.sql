{#
    Every element of an array column (e.g. special_circumstance_codes) is a code in `field` of the
    reference `to`: a relationships test for text[] columns.
#}
{% test array_elements_in(model, column_name, to, field) %}

    with

    elements as (

        select distinct unnest({{ column_name }}) as element
        from {{ model }}

    ),

    reference_codes as (

        select {{ field }} as element
        from {{ to }}

    )

    select elements.element
    from elements
    left join reference_codes
        on elements.element = reference_codes.element
    where reference_codes.element is null

{% endtest %}
