-- caregiver_personal_id_format: caregiver_personal_id is not 12 digits; the row is kept without that ID.
select
    source_row,
    caregiver_personal_id
from {batch}
where util.clean_text(caregiver_personal_id) is not null
    and util.parse_personal_id(caregiver_personal_id) is null
