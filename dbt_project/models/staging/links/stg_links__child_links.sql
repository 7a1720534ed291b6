with

source as (

    select * from {{ source('links', 'child_links') }}

),

renamed as (

    select
        submission_id,
        source_row,
        record_id,
        {{ parse_personal_id('personal_id') }} as personal_id,
        method as link_method,
        match_probability,
        model_version as link_model_version,
        flags as link_flags,
        linked_at,
        child_pseudonym,
        method <> 'none' and {{ parse_personal_id('personal_id') }} is not null as is_linked

    from source

)

select * from renamed
