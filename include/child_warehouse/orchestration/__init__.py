"""Orchestration helpers shared by the DAG files: default arguments, alerts, dbt through Cosmos."""
