-- Each register extract loaded, in order: linkage keeps what it scored against one extract
-- (links.scored_features) and no other. The registrar writes a row in the transaction that replaces
-- the extract; the linker reads the latest.
create table register.extracts (
    extract_id bigint generated always as identity primary key,
    loaded_at timestamptz not null default now(),
    persons bigint not null
);
alter table register.extracts owner to registrar;
grant select on register.extracts to linker;

-- What probabilistic linkage decided for a record's features (the columns Splink compares), with
-- the register extract, the register window (persons born after) and the model with its thresholds
-- it was decided with: a record with the same features is not scored again, in a resubmitted file
-- or a rerun, until one of those changes. The key is an MD5 of all of them; personal_id is null when
-- no candidate reached the review threshold. No name, date or record: only the candidate.
create table links.scored_features (
    decision_key uuid primary key,
    extract_id bigint not null,
    born_after date not null,
    model_digest text not null,
    personal_id text,
    match_probability double precision,
    outcome text check (outcome in ('probabilistic', 'review'))
);
alter table links.scored_features owner to linker;
