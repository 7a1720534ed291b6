with

source as (

    select * from {{ source('ledger', 'submissions') }}

),

renamed as (

    select
        submission_id,
        province_code,
        period,
        submission_type,
        file_name,
        file_uri,
        sha256,
        size_bytes,
        version,
        status,
        reason_code,
        reason_vi,
        reason_en,
        rows_in_file,
        rows_with_errors,
        rows_with_warnings,
        arrived_at,
        discovered_at,
        loaded_at,
        validated_at,
        linked_at,
        matched_at,
        encoding,
        delimiter,
        sheet_name,
        header_row,
        empty_means_no,
        discovered_run_id,
        processed_run_id,
        status in ('accepted', 'accepted_with_warnings') as is_accepted

    from source

)

select * from renamed
