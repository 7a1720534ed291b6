{#
    The role dbt works as, in the build's log (an engineer checks that no stage ran as the
    superuser): current_user is the transformer group, which the login's sessions start as
    (child_warehouse.db.roles); session_user is the login. The hook's own statement does nothing.
#}
{% macro log_database_role() -%}
    {%- if execute -%}
        {%- set who = run_query("select current_user::text, session_user::text") -%}
        {%- set role, login = who.columns[0].values()[0], who.columns[1].values()[0] -%}
        {{ log("Database role: current_user " ~ role ~ " (login " ~ login ~ ")", info=true) }}
    {%- endif -%}
    select 1
{%- endmacro %}
