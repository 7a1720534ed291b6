-- intervention_status_code: intervention_status is not one of da_can_thiep, dang_xu_ly, chua_can_thiep.
select
    source_row,
    intervention_status
from {batch}
where util.clean_text(intervention_status) is not null
    and util.normalise_code(intervention_status) not in ('da_can_thiep', 'dang_xu_ly', 'chua_can_thiep')
