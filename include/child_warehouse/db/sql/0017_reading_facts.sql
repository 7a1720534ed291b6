-- How each file was read, kept with its submission so an engineer and the province can see it: the
-- encoding detected (utf-8, windows-1258, tcvn3, vni, ...), the CSV delimiter, the XLSX sheet, the
-- row the header was found on, and each contract column with the header the file wrote for it
-- ({"date_of_birth": "Ngày sinh"}), so feedback names a column as the officer's sheet does.
-- reason_code is the reason's stable code (empty_file, header_only, ...), for compliance and alerts.
alter table ledger.submissions add column reason_code text;
alter table ledger.submissions add column encoding text;
alter table ledger.submissions add column delimiter text;
alter table ledger.submissions add column sheet_name text;
alter table ledger.submissions add column header_row integer;
alter table ledger.submissions add column headers jsonb;

-- A run's rows: every row of every file it processed (rows_received) and the rows it put in the
-- warehouse (rows_loaded: rows of files accepted and still current, without the rows excluded).
alter table ops.province_runs add column rows_received integer not null default 0;

-- A note tells the province how something was read without judging the row (neither an error nor a
-- warning, so it changes no verdict): how the empty cells of a yes/no column marked with x were read.
alter table dq.row_issues drop constraint row_issues_severity_check;
alter table dq.row_issues add constraint row_issues_severity_check
check (severity in ('error', 'warning', 'note'));
alter table dq.rule_results drop constraint rule_results_severity_check;
alter table dq.rule_results add constraint rule_results_severity_check
check (severity in ('error', 'warning', 'note'));

-- The yes/no columns whose empty cells mean "no": the file marks "yes" with x and never writes an
-- explicit no in that column (the contract's x/empty pair). Elsewhere an empty cell is "not stated".
-- Validation decides it per file and says so in the feedback; int_child_records_accepted applies it.
alter table ledger.submissions add column empty_means_no text[] not null default '{}';
