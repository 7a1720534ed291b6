-- commune_in_province: commune_code is not a commune of this province valid at the period's end (reference.communes, effective-dated).
select
    source_row,
    commune_code
from {batch}
where batch_commune_code is not null and not exists (
        select from reference.communes as c
        where c.commune_code = batch_commune_code
            and c.province_code = batch_province_code
            and c.valid_from <= period_end_date
            and (c.valid_to is null or c.valid_to >= period_end_date)
    )
