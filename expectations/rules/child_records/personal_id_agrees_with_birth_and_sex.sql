-- personal_id_agrees_with_birth_and_sex: personal_id disagrees with the birth year or sex (digits 4–6); unconfirmed until the population register confirms it.
-- Digit 4 is the century and sex (0 male / 1 female born 1900–1999, 2 / 3 from 2000), digits 5–6 the birth year.
select
    batch_rows.source_row,
    batch_rows.personal_id
from {batch} as batch_rows
-- (the lint cannot parse a lateral subquery without a from clause)
-- noqa: disable=LT02,ST05
cross join lateral (
    select
        util.parse_personal_id(batch_rows.personal_id) as pid,
        util.parse_vn_date(batch_rows.date_of_birth) as born,
        util.parse_sex(batch_rows.sex) as sex
    offset 0  -- noqa: PRS
) as parsed
-- noqa: enable=all
where
    batch_rows.personal_id is not null
    and parsed.pid is not null
    and parsed.born is not null
    and parsed.sex is not null
    and (
        substr(parsed.pid, 5, 2) <> to_char(parsed.born, 'YY')
        or substr(parsed.pid, 4, 1) <> (
            (case when parsed.born >= date '2000-01-01' then 2 else 0 end)
            + (case when parsed.sex = 'female' then 1 else 0 end)
        )::text
    )
