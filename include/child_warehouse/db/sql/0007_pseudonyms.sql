-- A stable, keyed-hash pseudonym per child, so analysts' models can follow a child across periods
-- without a name or a personal ID. Computed by the linkage stage with a key held outside the
-- database (CHILD_WAREHOUSE_PSEUDONYM_KEY): the database never sees the key.
alter table links.child_links add column if not exists child_pseudonym text;
alter table links.child_links add column if not exists pseudonym_key_id text;
