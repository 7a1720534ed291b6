-- Whether `role_name` may see a mart row of `province_code` in `period`. Codes were reused in the
-- July 2025 reform, so a pre-reform row belongs to the province it merged into (Yên Bái's 15 in 2024
-- is today's Lào Cai, 15; Bình Định's 52 is today's Gia Lai, 52). Security definer: analysts read
-- neither the mapping nor the crosswalk tables themselves. It answers only about a role the caller's
-- login is (or is a member of, as with the current_user the policies pass): asked about anyone else's
-- role it says false, so no analyst can learn which province another role sees.
create or replace function util.analyst_can_see(role_name text, province_code text, period text)
returns boolean
language sql stable security definer
set search_path = pg_catalog, public
as $$
    select exists (
        select from ops.analyst_provinces as a
        join pg_roles as r on r.rolname = a.role_name
        where a.role_name = analyst_can_see.role_name
          and pg_has_role(session_user, r.oid, 'MEMBER')
          and a.province_code = case
              when util.period_end_date(analyst_can_see.period) < date '2025-07-01' then (
                  select x.new_province_code from reference.province_crosswalk_2025 as x
                  where x.old_province_code = analyst_can_see.province_code)
              else analyst_can_see.province_code
          end
    )
$$;
