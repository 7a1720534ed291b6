# syntax=docker/dockerfile:1
# One image for every Airflow service: Airflow 3.3, dbt, GX and the child_warehouse package, from uv.lock.
FROM python:3.11-slim-bookworm

# DO_NOT_TRACK, SCARF_NO_ANALYTICS and GX_ANALYTICS_ENABLED keep dbt, Cosmos and GX from phoning home.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    AIRFLOW_HOME=/opt/airflow \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    DO_NOT_TRACK=1 \
    SCARF_NO_ANALYTICS=true \
    GX_ANALYTICS_ENABLED=false

# curl serves the health checks; uv is pinned and installs nothing but what uv.lock says.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv==0.13.9 \
    && groupadd --gid 50000 airflow \
    && useradd --uid 50000 --gid airflow --home-dir /opt/airflow --no-create-home \
        --shell /usr/sbin/nologin airflow

WORKDIR /opt/airflow/project

# INSTALL_SPARK=true (docker-compose.yaml passes it): Java and the `spark` extra, for
# CHILD_WAREHOUSE_LINKAGE_BACKEND=spark, as `make install-spark` does natively.
ARG INSTALL_SPARK=false
RUN if [ "$INSTALL_SPARK" = "true" ]; then \
        apt-get update && apt-get install -y --no-install-recommends default-jre-headless \
        && rm -rf /var/lib/apt/lists/*; fi

# Dependencies first: this layer is rebuilt only when pyproject.toml or uv.lock change.
COPY pyproject.toml uv.lock README.md /opt/airflow/project/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project $([ "$INSTALL_SPARK" = "true" ] && echo --extra spark)

COPY include/ /opt/airflow/project/include/
COPY dags/ /opt/airflow/project/dags/
COPY dbt_project/ /opt/airflow/project/dbt_project/
COPY expectations/ /opt/airflow/project/expectations/

# The project stays an editable install (uv's default, no --no-editable): settings.PROJECT_ROOT is
# found from the package's own path, so dbt_project/ and expectations/ resolve as in a clone.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev $([ "$INSTALL_SPARK" = "true" ] && echo --extra spark)

ENV VIRTUAL_ENV=/opt/airflow/project/.venv \
    PATH="/opt/airflow/project/.venv/bin:${PATH}" \
    CHILD_WAREHOUSE_DBT_TARGET_DIR=/opt/airflow/dbt_target

# Compile the dbt manifest now, as `make manifest` does natively: a broken dbt project fails the
# image build, and `dbt docs` has it. `dbt parse` connects to nothing; the CLI derives the profile's
# CHILD_WAREHOUSE_DBT_* values from CHILD_WAREHOUSE_DB_URL, so a dummy URL is enough at build time.
RUN export CHILD_WAREHOUSE_DB_URL=postgresql://build:build@build:5432/build \
    && if [ -f dbt_project/packages.yml ]; then child-warehouse dbt deps --quiet; fi \
    && child-warehouse dbt parse --quiet \
    && test -f "${CHILD_WAREHOUSE_DBT_TARGET_DIR}/manifest.json" \
    && rm -rf "${CHILD_WAREHOUSE_DBT_TARGET_DIR}/logs"

# Code stays root-owned (read-only to tasks); only Airflow's home and working folders are writable.
RUN mkdir -p /opt/airflow/logs /opt/airflow/work /opt/airflow/auth /opt/airflow/landing \
    && chown airflow:airflow /opt/airflow \
    && chown -R airflow:airflow /opt/airflow/logs /opt/airflow/work /opt/airflow/auth \
        /opt/airflow/dbt_target

USER airflow
WORKDIR /opt/airflow
EXPOSE 8080
CMD ["airflow", "version"]
