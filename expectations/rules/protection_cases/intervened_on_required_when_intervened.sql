-- intervened_on_required_when_intervened: intervention_status is da_can_thiep but intervened_on is missing or invalid.
select
    source_row,
    intervened_on
from {batch}
where util.normalise_code(intervention_status) = 'da_can_thiep' and util.parse_vn_date(intervened_on) is null
