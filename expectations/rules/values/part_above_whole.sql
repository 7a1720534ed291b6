-- part_above_whole: {column} is larger than {whole} on the same row (both read as counts).
select
    source_row,
    {column},
    {whole} as whole_value
from {batch}
where util.parse_vn_number({column}, 'count') > util.parse_vn_number({whole}, 'count')
