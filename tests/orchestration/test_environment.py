"""Airflow's environment carries the transformer's login, from the one warehouse URL, as the
connection dbt's tasks use."""

from child_warehouse import settings
from child_warehouse.orchestration.dbt import CONNECTION_ID
from child_warehouse.orchestration.environment import airflow_environment


def test_the_dbt_connection_is_the_transformers_login_on_the_warehouse(monkeypatch):
    url = "postgresql://warehouse_admin:s3cret@db.internal:5433/child_warehouse"
    monkeypatch.setenv("CHILD_WAREHOUSE_DB_URL", url)
    monkeypatch.delenv("CHILD_WAREHOUSE_TRANSFORMER_DB_URL", raising=False)
    monkeypatch.delenv(f"AIRFLOW_CONN_{CONNECTION_ID.upper()}", raising=False)
    parts = settings.split_db_url(airflow_environment()[f"AIRFLOW_CONN_{CONNECTION_ID.upper()}"])
    assert (parts.host, parts.port, parts.user, parts.dbname) == (
        "db.internal",
        5433,
        "cw_transformer",
        "child_warehouse",
    )
    assert parts.password not in ("", "s3cret")


def test_an_explicit_transformer_login_wins(monkeypatch):
    monkeypatch.setenv("CHILD_WAREHOUSE_DB_URL", "postgresql://warehouse_admin:s3cret@db.internal:5433/cw")
    explicit = "postgresql://cw_transformer:other@db.internal:5433/cw"
    monkeypatch.setenv("CHILD_WAREHOUSE_TRANSFORMER_DB_URL", explicit)
    monkeypatch.delenv(f"AIRFLOW_CONN_{CONNECTION_ID.upper()}", raising=False)
    assert airflow_environment()[f"AIRFLOW_CONN_{CONNECTION_ID.upper()}"] == explicit


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
