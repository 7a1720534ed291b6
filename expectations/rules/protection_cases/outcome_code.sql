-- outcome_code: outcome is not one of tu_vong, bi_thuong, khong.
select
    source_row,
    outcome
from {batch}
where util.clean_text(outcome) is not null
    and util.normalise_code(outcome) not in ('tu_vong', 'bi_thuong', 'khong')
