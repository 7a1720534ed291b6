-- The register's linkage features, computed once when an extract is loaded rather than on every
-- linkage run: name keys and parts, birth date and its day/month swap, and the parents' names.
create table register.person_features (
    personal_id    text primary key,
    name_key       text,
    name_folded    text,
    surname        text,
    given          text,
    name_sorted    text,
    dob            date,
    dob_swapped    date,
    birth_year     integer,
    sex            text,
    commune_code   text,
    caregiver_a    text,
    caregiver_b    text
);
create index person_features_dob on register.person_features (dob);
grant select, insert, update, delete on register.person_features to loader;
