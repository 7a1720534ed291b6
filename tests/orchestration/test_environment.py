"""Airflow's environment carries the one warehouse URL as the connection dbt's tasks use."""

from child_warehouse.orchestration.dbt import CONNECTION_ID
from child_warehouse.orchestration.environment import airflow_environment


def test_the_dbt_connection_is_the_warehouse_url(monkeypatch):
    url = "postgresql://loader:s3cret@db.internal:5433/child_warehouse"
    monkeypatch.setenv("CHILD_WAREHOUSE_DB_URL", url)
    monkeypatch.delenv(f"AIRFLOW_CONN_{CONNECTION_ID.upper()}", raising=False)
    assert airflow_environment()[f"AIRFLOW_CONN_{CONNECTION_ID.upper()}"] == url


def test_cosmos_reads_that_connection_with_its_own_mapping(monkeypatch):
    from child_warehouse.orchestration.dbt import profile_config

    monkeypatch.setenv(
        f"AIRFLOW_CONN_{CONNECTION_ID.upper()}", "postgresql://loader:s3cret@db.internal:5433/cw"
    )
    mapping = profile_config().profile_mapping
    assert type(mapping).__module__.startswith("cosmos.profiles")  # Cosmos's own, not a subclass of ours
    profile = mapping.profile
    assert (profile["host"], profile["port"], profile["user"], profile["dbname"]) == (
        "db.internal",
        5433,
        "loader",
        "cw",
    )
    assert "s3cret" not in str(profile)  # the password reaches dbt as an environment variable
