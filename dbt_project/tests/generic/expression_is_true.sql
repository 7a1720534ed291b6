{#
    Every row satisfies a SQL expression (e.g. 'hcdb_supported <= hcdb_children'); fails with the rows
    that do not. Usable on a model or, for readability, on a column (column_name is then unused).
#}
{% test expression_is_true(model, expression, column_name=none) %}

    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)

{% endtest %}
