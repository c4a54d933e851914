# TFT platform: `make` lists the targets. Everything runs from the project venv in .venv.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY := .venv/bin/python
STAMP := .venv/.installed
SERVICE ?=
FOLLOW ?=

.PHONY: help venv up down status logs urls dlt test test-ops bench lint promcheck clean distclean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Re-installs only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

venv: $(STAMP) ## create or update .venv from pyproject.toml

up: $(STAMP) ## start Kafka, the seven services and the web front end locally (state in var/)
	$(PY) -m ops up

down: $(STAMP) ## stop the services, then Kafka
	$(PY) -m ops down

status: $(STAMP) ## show pid, up/down and /readyz of each component
	$(PY) -m ops status

logs: $(STAMP) ## last log lines: make logs [SERVICE=gateway|kafka] [FOLLOW=1]
	$(PY) -m ops logs $(if $(FOLLOW),-f) $(SERVICE)

urls: $(STAMP) ## print the web, gateway, docs and service URLs and the demo accounts
	$(PY) -m ops urls

dlt: $(STAMP) ## dead letters: make dlt ARGS="list | show TOPIC P:O | replay TOPIC P:O|--all"
	$(PY) -m ops dlt $(ARGS)

test: $(STAMP) ## run the test suite (starts its own Kafka and PostgreSQL)
	$(PY) -m pytest -q

test-ops: $(STAMP) ## run the tests of the ops tooling (real Kafka and PostgreSQL)
	$(PY) -m pytest -q ops/tests

bench: $(STAMP) ## run the benchmarks and print figures
	$(PY) -m bench

lint: $(STAMP) ## ruff on all code, mypy on shared/
	$(PY) -m ruff check shared services ops web tests bench
	$(PY) -m mypy shared

promcheck: ## check the Prometheus config and alert rules with promtool
	promtool check config deploy/prometheus/prometheus.yml
	promtool check config deploy/prometheus/prometheus.compose.yml
	promtool check rules deploy/prometheus/alerts.yml
	promtool test rules deploy/prometheus/alerts_test.yml

clean: ## stop a local run and remove var/ and the caches of the tools
	if [ -x $(PY) ]; then $(PY) -m ops down; fi
	rm -rf var .pytest_cache .ruff_cache .mypy_cache .hypothesis
	find . -name __pycache__ -type d -not -path './.venv/*' -prune -exec rm -rf {} +

distclean: clean ## also remove .venv and the downloaded Kafka jars
	rm -rf .venv .cache
