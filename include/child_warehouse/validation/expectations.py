"""The warehouse's own Great Expectations expectation: a query's failing rows, every one, in one pass.

GX's `UnexpectedRowsExpectation` runs its query twice (once for a count, once for up to 200 rows)
and returns at most 200 of them. The quarantine needs every failing row, so the runner used to run
the query a third time. `ExpectNoFailingRows` is the same expectation (same kwargs, same Data Docs
rendering, inherited) over one metric that runs the query once and fetches all of its rows; the
count is their number. Importing this module registers both with GX, as GX's custom expectations
and metrics are registered: by defining the classes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from great_expectations.core.metric_domain_types import MetricDomainTypes
from great_expectations.execution_engine import SqlAlchemyExecutionEngine
from great_expectations.expectations import UnexpectedRowsExpectation
from great_expectations.expectations.metrics.metric_provider import metric_value
from great_expectations.expectations.metrics.query_metrics.query_table.query_table import QueryTable

ROWS_METRIC = "failing_rows_query.rows"


class FailingRowsQueryRows(QueryTable):
    """Every row an `unexpected_rows_query` returns (GX's own table metric stops at 200)."""

    metric_name = ROWS_METRIC
    value_keys = ("unexpected_rows_query",)
    query_param_name: ClassVar[str] = "unexpected_rows_query"

    @metric_value(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(
        cls,  # noqa: N805 -- GX calls metric functions with the provider class, as its own do
        execution_engine: SqlAlchemyExecutionEngine,
        metric_domain_kwargs: dict,
        metric_value_kwargs: dict,
        metrics: dict[str, Any],
        runtime_configuration: dict,
    ) -> list[dict]:
        batch_selectable, _, _ = execution_engine.get_compute_domain(
            metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE
        )
        query = cls._get_substituted_batch_subquery_from_query_and_batch_selectable(
            query=cls._get_query_from_metric_value_kwargs(metric_value_kwargs),
            batch_selectable=batch_selectable,
            execution_engine=execution_engine,
        )
        return cls._get_sqlalchemy_records_from_substituted_batch_subquery(
            substituted_batch_subquery=query, execution_engine=execution_engine, fetch_all=True
        )


class ExpectNoFailingRows(UnexpectedRowsExpectation):
    """No row of the batch is returned by `unexpected_rows_query`; the result lists all that are."""

    metric_dependencies: ClassVar[tuple[str, ...]] = (ROWS_METRIC,)

    def _validate(
        self, metrics: dict, runtime_configuration: dict | None = None, execution_engine=None
    ) -> dict:
        rows = metrics[ROWS_METRIC]
        return {
            "success": not rows,
            "result": {"observed_value": len(rows), "details": {"unexpected_rows": rows}},
        }
