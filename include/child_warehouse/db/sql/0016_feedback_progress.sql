-- The feedback workbook too is found again by the next run: feedback_at is set when a workbook
-- covering the file was written, cleared by a new verdict, a refusal or a reprocess. A night killed
-- after validation but before its feedback leaves it null, and the next run writes that workbook.
alter table ledger.submissions add column feedback_at timestamptz;

update ledger.submissions
set feedback_at = coalesce(validated_at, loaded_at, discovered_at)
where status in ('accepted', 'accepted_with_warnings', 'rejected');
