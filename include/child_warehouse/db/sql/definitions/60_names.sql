-- Vietnamese names as linkage compares them.

-- A name as a comparison key: trimmed, lower case, NFC, runs of spaces collapsed, and tone marks in
-- the new placement (old 'hoà', 'thuỷ' → new 'hòa', 'thủy') so both spellings compare equal;
-- 'quý' keeps its mark on y, since the u belongs to 'qu'. (One line: 15 nested replacements, one per
-- tone on oa/oe/uy, as migration 0005 wrote them.)
create or replace function util.vn_name_key(value text) returns text
language sql immutable parallel safe
return regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower(normalize(util.clean_text(value), nfc)), 'oà(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'òa', 'g'), 'oá(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'óa', 'g'), 'oả(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ỏa', 'g'), 'oã(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'õa', 'g'), 'oạ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ọa', 'g'), 'oè(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'òe', 'g'), 'oé(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'óe', 'g'), 'oẻ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ỏe', 'g'), 'oẽ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'õe', 'g'), 'oẹ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ọe', 'g'), '(?<!q)uỳ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ùy', 'g'), '(?<!q)uý(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'úy', 'g'), '(?<!q)uỷ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ủy', 'g'), '(?<!q)uỹ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ũy', 'g'), '(?<!q)uỵ(?=$|[^a-zđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])', 'ụy', 'g'), '\s+', ' ', 'g');  -- noqa: LT05

-- The same name without diacritics, for fuzzy levels and for records typed without accents.
create or replace function util.vn_name_folded(value text) returns text
language sql immutable parallel safe
return regexp_replace(util.fold_vn(value), '\s+', ' ', 'g');
