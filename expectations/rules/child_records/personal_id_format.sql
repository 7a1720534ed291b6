-- personal_id_format: personal_id is not 12 digits; the row is kept without that ID.
select
    source_row,
    personal_id
from {batch}
where util.clean_text(personal_id) is not null and util.parse_personal_id(personal_id) is null
