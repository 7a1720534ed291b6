-- commune_code_format: commune_code is not a 5-digit code.
select
    source_row,
    commune_code
from {batch}
where util.clean_text(commune_code) is not null and util.clean_text(commune_code) !~ '^[0-9]{1,5}$'
