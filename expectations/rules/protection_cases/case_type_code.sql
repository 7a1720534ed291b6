-- case_type_code: case_type is not one of xam_hai_tinh_duc, bao_luc, boc_lot, mua_ban, bo_roi, xam_hai_khac, duoi_nuoc, tai_nan_giao_thong, tai_nan_khac.
select
    source_row,
    case_type
from {batch}
where util.clean_text(case_type) is not null
    and util.normalise_code(case_type) not in (
        'xam_hai_tinh_duc',
        'bao_luc',
        'boc_lot',
        'mua_ban',
        'bo_roi',
        'xam_hai_khac',
        'duoi_nuoc',
        'tai_nan_giao_thong',
        'tai_nan_khac'
    )
