-- commune_before_reform: commune_code is a commune code retired in the July 2025 reform, sent for a period ending after it; the reason names its successor(s) from the crosswalk.
select
    sent.source_row,
    sent.commune_code,
    string_agg(distinct walk.new_commune_code || ' ' || walk.new_name_vi, ', ') as successors
from {batch} as sent
inner join reference.commune_crosswalk_2025 as walk on sent.batch_commune_code = walk.old_commune_code
where sent.period_end_date >= date '2025-07-01'
    and not exists (
        select from reference.communes as c
        where c.commune_code = sent.batch_commune_code
            and c.valid_from <= sent.period_end_date
            and (c.valid_to is null or c.valid_to >= sent.period_end_date)
    )
group by sent.source_row, sent.commune_code
