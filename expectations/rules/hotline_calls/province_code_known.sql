-- province_code_known: province_code is neither 00 (unknown) nor a province that existed at the period's end.
select
    source_row,
    province_code
from {batch}
where batch_caller_province_code <> '00'
    and not exists (
        select from reference.provinces as p
        where p.province_code = batch_caller_province_code
            and p.valid_from <= period_end_date
            and (p.valid_to is null or p.valid_to >= period_end_date)
    )
