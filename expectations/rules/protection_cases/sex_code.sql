-- sex_code: sex is not Nam/Nữ, M/F or 1/2.
select
    source_row,
    sex
from {batch}
where util.clean_text(sex) is not null and util.parse_sex(sex) is null
