"""The Assets the DAGs hand over through: the marts, published by every run that builds them."""

from __future__ import annotations

from airflow.sdk import Asset

MARTS = Asset(name="child_warehouse_marts", group="child_warehouse")
