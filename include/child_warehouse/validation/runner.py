"""Run a submission type's suite with Great Expectations' SQL engine and record what it found."""

from __future__ import annotations

import json
import logging
import os
import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from psycopg2 import sql

from child_warehouse import dq, ledger, settings
from child_warehouse.contract.columns import SUBMISSION_TYPES, allows_nil_return, canonical_columns
from child_warehouse.db.connection import connect, fetch_all, transaction, warehouse_url
from child_warehouse.validation import yes_no
from child_warehouse.validation.memo import memoised_configurations
from child_warehouse.validation.suites import build_suite, load_suite_spec
from child_warehouse.validation.verdicts import EXAMPLES_KEPT, RuleOutcome, decide, row_issues

log = logging.getLogger(__name__)
DOCS_SITE = "child_warehouse"
_RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": ["source_row"],
    "return_unexpected_index_query": False,
}


def batch_query(conn, submission_type: str, submission_id: int) -> str:
    """A submission's raw rows as the rules see them: with its province, period and period dates
    (rendered as text through `conn`, as GX takes a query asset's SQL).

    The added columns carry a `batch_` or `period` prefix so that rules' subqueries over reference
    tables cannot confuse them with a reference table's own columns.
    """
    if submission_type == "indicator_report":
        # Each value as the report rules compare it: the catalogue's code and kind (null when the
        # code is unknown), the disaggregation normalised, and the amount read by the kind.
        parsed = sql.SQL(
            "catalogue.indicator_code as batch_indicator_code, catalogue.kind as batch_indicator_kind, "
            "coalesce(lower(regexp_replace(util.clean_text(r.disaggregation), '\\s+', '', 'g')), 'total') "
            "as batch_part, util.parse_vn_number(r.value, case when catalogue.kind = 'rate' "
            "then 'decimal' else 'count' end) as batch_amount, "
        )
        lookup = sql.SQL(
            "left join reference.indicators as catalogue "
            "on catalogue.indicator_code = lower(util.clean_text(r.indicator_code)) "
        )
    elif "commune_code" in canonical_columns(submission_type):
        parsed = sql.SQL("util.parse_commune_code(r.commune_code) as batch_commune_code, ")
        lookup = sql.SQL("")
    else:  # the hotline's rows name the caller's province (two digits, '00' unknown), not a commune
        parsed = sql.SQL("lpad(util.clean_text(r.province_code), 2, '0') as batch_caller_province_code, ")
        lookup = sql.SQL("")
    # The submission's facts are computed once (OFFSET 0 keeps the planner from folding the
    # one-row subquery into the scan, which would parse the period again for every row).
    query = sql.SQL(
        "select r.*, {parsed}s.batch_province_code, s.period, s.period_start_date, s.period_end_date "
        "from {raw} as r cross join (select province_code as batch_province_code, "
        "period, util.period_start_date(period) as period_start_date, "
        "util.period_end_date(period) as period_end_date from ledger.submissions "
        "where submission_id = {submission} offset 0) as s "
        "{lookup}where r.submission_id = {submission}"
    ).format(
        parsed=parsed,
        lookup=lookup,
        raw=sql.Identifier("raw", submission_type),
        submission=sql.Literal(int(submission_id)),
    )
    return query.as_string(conn)


class SuiteRunner:
    """One GX context and data source, reused for every submission a task validates."""

    def __init__(self, url: str | None = None, docs_dir: Path | None = None) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
        import great_expectations as gx

        self._url = url
        from great_expectations.data_context.types.base import ProgressBarsConfig

        import child_warehouse.validation.expectations  # noqa: F401 -- registers expect_no_failing_rows

        self._context = gx.get_context(mode="ephemeral")
        self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
        sqlalchemy_url = (url or warehouse_url()).replace("postgresql://", "postgresql+psycopg2://", 1)
        self._source = self._context.data_sources.add_postgres("warehouse", connection_string=sqlalchemy_url)
        self._specs: dict[str, dict] = {}
        self._docs_dir = docs_dir
        if docs_dir is not None:
            from child_warehouse.validation.docs import site_config

            self._context.add_data_docs_site(DOCS_SITE, site_config(docs_dir))

    def publish_docs(self) -> Path | None:
        """Render this runner's results as Data Docs; the index lists them, older pages stay on disk."""
        if self._docs_dir is None:
            return None
        from child_warehouse.validation.docs import localise_site

        started = time.time() - 1  # file times may be coarser than the clock
        self._context.build_data_docs(site_names=[DOCS_SITE])
        localise_site(self._docs_dir, since=started)
        return self._docs_dir / "index.html"

    def outcomes(self, conn, submission_id: int, submission_type: str) -> list[RuleOutcome]:
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier

        if submission_type not in self._specs:  # read the suite and its rule files once per runner
            self._specs[submission_type] = load_suite_spec(submission_type)
        spec = self._specs[submission_type]
        about = _about(conn, submission_id)
        # Data Docs pages name what they are about: province, period, type and submission in the
        # suite and asset names, the file and the night that loaded it in the run name.
        name = f"{about['province']}_{about['period']}_{submission_type}_submission_{submission_id}"
        query = batch_query(conn, submission_type, submission_id)
        asset = self._source.add_query_asset(name, query=query)
        suite = self._context.suites.add(build_suite({**spec, "name": name}))
        definition = self._context.validation_definitions.add(
            gx.ValidationDefinition(
                name=name, data=asset.add_batch_definition_whole_table("all"), suite=suite
            )
        )
        # The run name becomes a folder of the site: no "/" (the ledger's file name is a path).
        file_name = about["file_name"].rsplit("/", 1)[-1]
        run_name = f"{file_name} · night {about['run_id'] or '-'}".replace("/", "-")
        with memoised_configurations():
            result = definition.run(result_format=_RESULT_FORMAT, run_id=RunIdentifier(run_name=run_name))
        outcomes = [_outcome(r.to_json_dict()) for r in result.results]
        # Query rules report no element count; they look at every row of the submission.
        rows_total = _rows(conn, submission_type, submission_id)
        return [o if o.rows_checked else replace(o, rows_checked=rows_total) for o in outcomes]


def _rows(conn, submission_type: str, submission_id: int) -> int:
    """The submission's rows as the batch holds them (what GX counts as a column rule's elements)."""
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL("select count(*) from {} where submission_id = %s").format(
                sql.Identifier("raw", submission_type)
            ),
            (submission_id,),
        )
        return cur.fetchone()[0]


def _about(conn, submission_id: int) -> dict:
    with conn.cursor() as cur:
        cur.execute(
            "select province_code, period, file_name, processed_run_id from ledger.submissions "
            "where submission_id = %s",
            (submission_id,),
        )
        province, period, file_name, run_id = cur.fetchone()
    return {"province": province, "period": period, "file_name": file_name, "run_id": run_id}


def _outcome(result: dict) -> RuleOutcome:
    config, meta = result["expectation_config"], result["expectation_config"].get("meta") or {}
    failure = _raised(result.get("exception_info") or {})
    if failure:  # a rule that cannot run is an infrastructure fault, not a verdict on the data
        raise RuntimeError(f"expectation {meta.get('rule')} could not run: {failure}")
    details = result.get("result") or {}
    column = config["kwargs"].get("column") or meta.get("column")
    if config["type"] == "expect_no_failing_rows":  # every failing row, fetched once
        failing = (details.get("details") or {}).get("unexpected_rows") or []
    else:
        failing = details.get("unexpected_index_list") or []
        # GX's SQL engine lists at most `partial_unexpected_count` (20) of a column rule's failing
        # rows, whatever the result format: the rest would reach the marts unflagged. The suites'
        # rules are query rules for that reason; a column rule that fails more rows stops the task.
        if details.get("unexpected_count", 0) > len(failing):
            raise RuntimeError(
                f"expectation {meta.get('rule')} failed {details['unexpected_count']} rows but Great "
                f"Expectations listed {len(failing)}: write it as an expect_no_failing_rows query rule"
            )
    # In the file's order: the queries have none of their own, so the rows came in the order of the
    # plan PostgreSQL chose (a scan of the table, or of its index after an analyse), and the examples
    # kept in dq.rule_results (the first ones) could differ between two runs over the same rows.
    failing = sorted(failing, key=_in_file_order)
    return RuleOutcome(
        rule=meta["rule"],
        column=column,
        severity=meta["severity"],
        rows_checked=details.get("element_count", 0),
        failing=failing,
        reason_vi=meta["reason_vi"],
        reason_en=meta["reason_en"],
    )


def _in_file_order(row: dict) -> tuple[bool, int]:
    source_row = row.get("source_row")
    return source_row is None, source_row or 0


def _raised(info: dict) -> str | None:
    """GX reports exceptions at the top level or per metric: the database's own message, if any."""
    candidates = [info, *(v for v in info.values() if isinstance(v, dict))]
    for candidate in candidates:
        if candidate.get("raised_exception"):
            trace = (candidate.get("exception_traceback") or candidate.get("exception_message") or "").strip()
            lines = [line for line in trace.splitlines() if "Error" in line and "sqlalche.me" not in line]
            return (lines or trace.splitlines() or ["unknown error"])[-1].strip()
    return None


def _headers(conn, submission_id: int) -> dict[str, str]:
    """Each contract column with the header the file wrote for it (ledger.submissions.headers)."""
    with conn.cursor() as cur:
        cur.execute("select headers from ledger.submissions where submission_id = %s", (submission_id,))
        row = cur.fetchone()
    return dict(row[0] or {}) if row else {}


def _store(conn, submission_id: int, outcomes: list[RuleOutcome], headers: dict[str, str]) -> None:
    results = [
        dq.RuleResult(
            submission_id,
            o.rule,
            o.column,
            o.severity,
            o.rows_checked,
            len(o.failing),
            json.dumps(o.failing[:EXAMPLES_KEPT], ensure_ascii=False, default=str),
        )
        for o in outcomes
    ]
    issues = [issue for o in outcomes for issue in row_issues(submission_id, o, headers)]
    # Replaces only this suite's results: what the loader noted stays beside them.
    dq.replace_rule_results(conn, submission_id, results, issues)


def _conclude(conn, submission_id: int, submission_type: str, run_id: str | None) -> ledger.Status:
    """The verdict from the submission's findings, into the ledger."""
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL("select count(distinct source_row) from {} where submission_id = %s").format(
                sql.Identifier("raw", submission_type)
            ),
            (submission_id,),
        )
        rows_total = cur.fetchone()[0]
    errors, warnings, unknown_columns = dq.verdict_counts(conn, submission_id)
    status, reason = decide(
        rows_total,
        errors,
        warnings,
        settings.reject_share_threshold(),
        nil_return_allowed=allows_nil_return(submission_type),
        unknown_columns=unknown_columns,
    )
    ledger.record_verdict(
        conn,
        submission_id,
        status,
        reason,
        rows_with_errors=errors,
        rows_with_warnings=warnings,
        run_id=run_id,
    )
    return ledger.Status(status)


_STALE_RAW_TABLES = """
select t.relname
from pg_stat_user_tables as t
where t.schemaname = 'raw' and t.relname = any(%(types)s)
    and (t.n_mod_since_analyze > %(base)s + %(share)s * t.n_live_tup
         or exists (select from ledger.submissions as s
                    where s.submission_type = t.relname
                        and s.loaded_at > coalesce(greatest(t.last_analyze, t.last_autoanalyze), '-infinity')
                        and %(since_loaded)s))
order by 1
"""


def _analyse_raw_tables(
    url: str | None, submission_types, *, base: int, share: float, since_loaded: bool
) -> list[str]:
    """Analyse those of the raw tables whose changed rows exceed `base` + `share` of the table or
    (with `since_loaded`) that had a file loaded since their last analysis."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(
            _STALE_RAW_TABLES,
            {"types": sorted(submission_types), "base": base, "share": share, "since_loaded": since_loaded},
        )
        stale = [name for (name,) in cur.fetchall()]
        for submission_type in stale:
            cur.execute(sql.SQL("analyze {}").format(sql.Identifier("raw", submission_type)))
    return stale


def _refresh_statistics(url: str | None, submission_types: set[str]) -> None:
    """Analyse a raw table the night has just filled, as autovacuum would a minute later.

    A plan for a new submission's rows is only as good as the statistics: right after a bulk load
    they still describe the table without it (autovacuum analyses on its next round, up to a minute
    on). Same condition as autovacuum's default: changed rows above 50 + 10 % of the table.
    """
    for submission_type in _analyse_raw_tables(url, submission_types, base=50, share=0.1, since_loaded=False):
        log.info("analysed raw.%s: its statistics predated the load", submission_type)


def refresh_raw_statistics(url: str | None = None) -> list[str]:
    """Once every province is validated: analyse each raw table that has rows loaded (or rows
    changed) since its statistics were taken, whatever the share; returns the tables analysed.

    Autovacuum's rule (and `_refresh_statistics`') waits for 10 % of a table to change. In a
    warehouse that lives from night to night, two provinces' resubmission is 8 % of the child
    records at 1M: no analysis, and the planner does not know the night's submission IDs, which
    every later stage (link by ID, dbt's incremental models) selects by. Measured at 1M: dbt's
    `int_child_records_accepted` took 81-104 s for such a night's 96k rows, 5 s with the table
    analysed; the analysis takes about half a second (it samples 30,000 rows whatever the size).
    Runs as the loader, which owns the raw tables.
    """
    analysed = _analyse_raw_tables(url, SUBMISSION_TYPES, base=0, share=0.0, since_loaded=True)
    log.info("Summary: statistics: %s", ", ".join(f"raw.{t}" for t in analysed) or "all raw tables current")
    return analysed


def validate_province(
    province_code: str, url: str | None = None, run_id: str | None = None
) -> dict[str, int]:
    """Validate every loaded (not yet validated) submission of one province, whichever run loaded it
    (a run killed after loading leaves its files `loaded`; the next run gives their verdicts).

    Oldest period first, and records before the report of the same period: the report rules compare
    a report with the province's earlier reports (outliers) and with its records (cross-check), so
    those must have their verdicts first, as in a backfill that loads years in one night.
    """
    with transaction(url) as conn:
        loaded = ledger.awaiting_verdict(conn, province_code)
    counts = {status.value: 0 for status in ledger.FINAL}
    if not loaded:
        return counts
    _refresh_statistics(url, {submission_type for _, submission_type in loaded})
    docs_dir = settings.data_docs_root() / province_code if settings.data_docs_enabled() else None
    runner = SuiteRunner(url, docs_dir=docs_dir)
    with closing(connect(url)) as conn:  # one connection, a transaction per file
        for submission_id, submission_type in loaded:
            with conn:
                outcomes = runner.outcomes(conn, submission_id, submission_type)
                headers = _headers(conn, submission_id)
                _store(conn, submission_id, outcomes, headers)
                yes_no.read_empty_cells(conn, submission_id, submission_type, headers)
                status = _conclude(conn, submission_id, submission_type, run_id)
            counts[status.value] += 1
            log.info("submission %s (%s): %s", submission_id, submission_type, status)
    try:
        log.info("Data Docs: %s", runner.publish_docs())
    except OSError as error:  # the verdicts are stored; a full or read-only docs folder must not undo them
        log.warning("Data Docs for province %s not written: %s", province_code, error)
    log_summary(province_code, [submission_id for submission_id, _ in loaded], counts, url)
    return counts


_RULES_FAILED = """
select s.file_name, r.rule, r.severity, r.rows_failing
from dq.rule_results as r join ledger.submissions as s using (submission_id)
where s.submission_id = any(%(ids)s) and r.rows_failing > 0
order by s.file_name, r.severity, r.rule
"""


def log_summary(
    province: str, submission_ids: list[int], counts: dict[str, int], url: str | None = None
) -> str:
    """After a province's files were validated: each failing rule (errors as warnings), then verdicts."""
    failed = fetch_all(_RULES_FAILED, {"ids": submission_ids}, url)
    for name, rule, severity, rows_failing in failed:
        level = logging.WARNING if severity == "error" else logging.INFO
        log.log(level, "rule failed: %s: %s (%s, %s rows)", name, rule, severity, rows_failing)
    verdicts = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(counts.items())) or "none"
    line = (
        f"Summary: validation {province}: {sum(counts.values())} file(s): {verdicts}; "
        f"{len(failed)} rule result(s) failed"
    )
    log.info("%s", line)
    return line
