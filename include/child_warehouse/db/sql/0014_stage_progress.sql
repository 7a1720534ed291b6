-- Every stage finds its work in the ledger, whatever state the last run died in. Loading and
-- validation already read the status (discovered / load_failed, then loaded); the two linkage steps
-- now mark what they finished, so a night killed between its stages is completed by the next run:
--   linked_at   linkage by personal ID replaced the submission's links (null: still to do)
--   matched_at  probabilistic linkage and pseudonyms finished for it (null: still to do)
-- A new verdict or a reprocess clears both. processed_run_id now names the run that last worked on
-- the file (a rerun that finishes a killed night's files reports them).
alter table ledger.submissions add column linked_at timestamptz;
alter table ledger.submissions add column matched_at timestamptz;

-- Files linked before this migration: their links exist, so their linkage is done.
update ledger.submissions as s
set linked_at = coalesce(s.validated_at, now()), matched_at = coalesce(s.validated_at, now())
where s.submission_type = 'child_records'
    and s.status in ('accepted', 'accepted_with_warnings')
    and exists (
        select from links.child_links as l
        where l.submission_id = s.submission_id
    );

create index submissions_unlinked on ledger.submissions (province_code)
where submission_type = 'child_records' and (linked_at is null or matched_at is null);
