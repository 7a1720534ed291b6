-- record_status_code: record_status is not one of dang_quan_ly, chuyen_di, du_16_tuoi, tu_vong.
select
    source_row,
    record_status
from {batch}
where record_status = any(array(
        select distinct_value
        from (select distinct record_status as distinct_value from {batch} offset 0) as distinct_values
        where util.clean_text(distinct_value) is not null
            and util.normalise_code(distinct_value) not in (
                'dang_quan_ly', 'chuyen_di', 'du_16_tuoi', 'tu_vong'
            )
    ))
