-- The province that answers for a file today. Folders are named by the province as it was at the end
-- of the period (submission contract §1), so a pre-reform period's code is the province that merged
-- into one of the 34 on 1 July 2025 (reference.province_crosswalk_2025; codes were reused: Yên Bái's
-- 15 in 2024 is today's Lào Cai, 15). A later period's code, or one the crosswalk does not hold (the
-- national hotline's `national`), is itself. The nightly DAG loads and validates a pre-reform file in
-- its successor's task, beside that province's own files.
create or replace function util.province_now(province_code text, period text)
returns text
language sql stable parallel safe
as $$
    select coalesce((
        select x.new_province_code from reference.province_crosswalk_2025 as x
        where x.old_province_code = province_now.province_code
          and util.period_end_date(province_now.period) < date '2025-07-01'
    ), province_now.province_code)
$$;
