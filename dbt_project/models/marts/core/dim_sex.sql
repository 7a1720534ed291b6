-- Sex as the marts code it.
with

sexes as (

    select *
    from (
        values
        ('male', 'Nam', 'Male'),
        ('female', 'Nữ', 'Female')
    ) as sexes (sex, name_vi, name_en)

),

final as (

    select
        sex,
        name_vi,
        name_en

    from sexes

)

select * from final
