-- Linkage: name keys, the clerical review queue and reviewers' decisions.

-- A name as a comparison key: trimmed, lower case, NFC, runs of spaces collapsed, and tone marks in
-- the new placement (old 'hoà', 'thuỷ' → new 'hòa', 'thủy') so both spellings compare equal;
-- 'quý' keeps its mark on y, since the u belongs to 'qu'.
create or replace function util.vn_name_key(value text) returns text
language sql immutable parallel safe
return regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower(normalize(util.clean_text(value), nfc)), 'oà(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'òa', 'g'), 'oá(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'óa', 'g'), 'oả(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ỏa', 'g'), 'oã(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'õa', 'g'), 'oạ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ọa', 'g'), 'oè(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'òe', 'g'), 'oé(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'óe', 'g'), 'oẻ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ỏe', 'g'), 'oẽ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'õe', 'g'), 'oẹ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ọe', 'g'), '(?<!q)uỳ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ùy', 'g'), '(?<!q)uý(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'úy', 'g'), '(?<!q)uỷ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ủy', 'g'), '(?<!q)uỹ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ũy', 'g'), '(?<!q)uỵ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ụy', 'g'), '\s+', ' ', 'g');

-- The same name without diacritics, for fuzzy levels and for records typed without accents.
create or replace function util.vn_name_folded(value text) returns text
language sql immutable parallel safe
return regexp_replace(util.fold_vn(value), '\s+', ' ', 'g');

-- Candidates linkage could not settle, for a person to decide. One row per record and candidate.
create table links.review_queue (
    submission_id      bigint  not null references ledger.submissions,
    source_row         integer not null,
    province_code      text    not null,
    record_id          text    not null,
    candidate_personal_id text not null,
    match_probability  double precision not null,
    model_version      text    not null,
    queued_at          timestamptz not null default now(),
    primary key (submission_id, source_row, candidate_personal_id)
);

-- Reviewers' decisions, keyed by what stays stable across periods, reruns and retraining: the
-- province's record_id and the candidate ID. A decision applies to every later submission.
create table links.review_decisions (
    province_code         text not null,
    record_id             text not null,
    candidate_personal_id text not null,
    decision              text not null check (decision in ('match', 'non_match')),
    decided_by            text not null,
    decided_at            timestamptz not null default now(),
    note                  text,
    primary key (province_code, record_id, candidate_personal_id)
);

grant select, insert, update, delete on links.review_queue, links.review_decisions to loader;
grant select on links.review_queue, links.review_decisions to transformer;
