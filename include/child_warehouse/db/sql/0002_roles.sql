-- Group roles for the warehouse's duties. Login roles are granted these per environment.
do $$
begin
    if not exists (select from pg_roles where rolname = 'loader') then
        create role loader nologin;
    end if;
    if not exists (select from pg_roles where rolname = 'transformer') then
        create role transformer nologin;
    end if;
    if not exists (select from pg_roles where rolname = 'analyst_national') then
        create role analyst_national nologin;
    end if;
end
$$;

grant usage on schema ledger, raw, dq, register, links, ops to loader;
grant select, insert, update, delete on all tables in schema ledger, raw, dq, register, links, ops to loader;
grant usage on schema ledger, raw, dq, links, ops to transformer;
grant select on all tables in schema ledger, raw, dq, links, ops to transformer;
