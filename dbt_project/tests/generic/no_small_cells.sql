{#
    Small-cell suppression held: no row of an analyst-facing mart publishes a count of 1 to
    min_cell_size - 1 in any of `column_names` (suppressed cells are null). Fails with the rows that do.
#}
{% test no_small_cells(model, column_names) %}

    select *
    from {{ model }}
    where
        {% for column in column_names %}{{ is_small_cell(column) }}{{ " or " if not loop.last }}{% endfor %}

{% endtest %}
