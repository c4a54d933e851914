# TFT platform: `make` lists the targets. Everything runs from the project venv in .venv.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY := .venv/bin/python
STAMP := .venv/.installed
SERVICE ?=
FOLLOW ?=
# `REPLICAS=2 BROKERS=3 make up`: processes per service (the gateway and web stay one unless
# GATEWAY_REPLICAS / WEB_REPLICAS ask; several get a balancer on their port) and Kafka
# nodes; PROMETHEUS=1 also starts a local Prometheus (Debian's package) that scrapes them.
# Unset: what the environment says.
RUN_ENV := $(if $(REPLICAS),TFT_REPLICAS=$(REPLICAS)) $(if $(BROKERS),TFT_KAFKA_BROKERS=$(BROKERS)) \
	$(if $(GATEWAY_REPLICAS),TFT_GATEWAY_REPLICAS=$(GATEWAY_REPLICAS)) \
	$(if $(WEB_REPLICAS),TFT_WEB_REPLICAS=$(WEB_REPLICAS)) \
	$(if $(PROMETHEUS),TFT_PROMETHEUS=$(PROMETHEUS))
UPGRADE ?=
# Renders deploy/k8s for the tests (ops/tests/test_k8s.py); built from the Go module proxy.
KUSTOMIZE := sigs.k8s.io/kustomize/kustomize/v5@v5.7.1
LOCKS := requirements.lock requirements-dev.lock
UV := uv==0.13.9
COMPILE := $(PY) -m uv pip compile pyproject.toml --quiet --no-config --universal \
	--python-version 3.11 --generate-hashes --index-url https://pypi.org/simple \
	--custom-compile-command 'make lock'

.PHONY: help venv lock up down status logs urls dlt test test-ops bench bench-quick lint promcheck k8s kustomize clean distclean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The exact versions of requirements-dev.lock (hash-checked), then the project itself without
# resolving again; `pip check` fails when pyproject.toml asks for what the lock lacks.
# Re-installs only when pyproject.toml or a lock changed since the last install.
$(STAMP): pyproject.toml $(LOCKS)
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --require-hashes -r requirements-dev.lock
	$(PY) -m pip install -q --no-deps -e .
	$(PY) -m pip check || { echo "pyproject.toml asks for what the lock lacks? make lock"; exit 1; }
	touch $@

venv: $(STAMP) ## create or update .venv from the lock (requirements-dev.lock)

# Both locks come from PyPI alone, for Python 3.11 and up on any platform. The dev lock is
# resolved first; the runtime lock (the image's) is held to its versions.
lock: ## resolve the locks again after a change to pyproject.toml (UPGRADE=1: newest allowed)
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q $(UV)
	$(COMPILE) $(if $(UPGRADE),--upgrade) --extra dev -o requirements-dev.lock
	$(COMPILE) -c requirements-dev.lock -o requirements.lock

up: $(STAMP) ## start Kafka, the services and web locally (state in var/); REPLICAS=2 BROKERS=3 GATEWAY_REPLICAS=2 PROMETHEUS=1
	$(RUN_ENV) $(PY) -m ops up

down: $(STAMP) ## stop every balancer and replica of the services, the local Prometheus, then Kafka
	$(PY) -m ops down

status: $(STAMP) ## show pid, up/down and /readyz of each component
	$(RUN_ENV) $(PY) -m ops status

logs: $(STAMP) ## last log lines: make logs [SERVICE=gateway|kafka] [FOLLOW=1]
	$(PY) -m ops logs $(if $(FOLLOW),-f) $(SERVICE)

urls: $(STAMP) ## print the web, gateway, docs and service URLs and the demo accounts
	$(PY) -m ops urls

dlt: $(STAMP) ## dead letters: make dlt ARGS="list | show TOPIC P:O | replay TOPIC P:O|--all"
	$(PY) -m ops dlt $(ARGS)

test: $(STAMP) kustomize ## run the test suite (starts its own Kafka and PostgreSQL)
	$(PY) -m pytest -q --durations=30 -n 2 --dist loadgroup

test-ops: $(STAMP) kustomize ## run the tests of the ops tooling (real Kafka and PostgreSQL)
	$(PY) -m pytest -q ops/tests

bench: $(STAMP) ## run the benchmarks and print figures
	$(PY) -m bench

bench-quick: $(STAMP) ## a few seconds per figure: bookings, reads, pipeline against baselines
	$(PY) -m bench --seconds 3 --messages 5000 --only messaging gateway --no-save

lint: $(STAMP) ## ruff (checks and format) on all code, mypy, the layer contracts (import-linter)
	$(PY) -m ruff check shared services ops web tests bench
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	.venv/bin/lint-imports

promcheck: ## check the Prometheus config and alert rules with promtool
	promtool check config deploy/prometheus/prometheus.yml
	promtool check config deploy/prometheus/prometheus.compose.yml
	promtool check rules deploy/prometheus/alerts.yml
	promtool test rules deploy/prometheus/alerts_test.yml

k8s: $(STAMP) ## write deploy/k8s/base/generated from the code (workloads, topics, users, databases)
	$(PY) -m ops k8s

kustomize: $(STAMP) ## install kustomize into .venv/bin (needs Go), for the Kubernetes manifests' tests
	test -x .venv/bin/kustomize || GOBIN=$(CURDIR)/.venv/bin go install $(KUSTOMIZE)

clean: ## stop a local run and remove var/ and the caches of the tools
	if [ -x $(PY) ]; then $(PY) -m ops down; fi
	rm -rf var .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .hypothesis
	find . -name __pycache__ -type d -not -path './.venv/*' -prune -exec rm -rf {} +

distclean: clean ## also remove .venv and the downloaded Kafka jars
	rm -rf .venv .cache
