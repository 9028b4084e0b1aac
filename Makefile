# The two commands: `make forecast` and `make test`. Both create .venv if it is missing.
VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
SCENARIO  ?= scenarios/june-anniversary.yaml
BACKTEST  := reports/backtest/backtest.json
PYTHON    ?= $(shell sh scripts/find_python.sh)
INSTALLER ?= auto

.PHONY: forecast test lint bench venv clean notebook notebook-run backtest bytecode

forecast: $(STAMP) bytecode $(BACKTEST)
	$(PY) -m forecast run $(SCENARIO)

test: $(STAMP) bytecode
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check forecast tests benchmarks
	$(PY) -m ruff format --check forecast tests benchmarks

bench: $(STAMP) bytecode
	$(PY) benchmarks/bench_run.py
	$(PY) benchmarks/bench_report.py
	$(PY) benchmarks/bench_backtest.py

# The track record: monthly origins 2014-01 .. 2025-08 scored against constant-rate baselines.
backtest: $(STAMP) bytecode
	$(PY) -m forecast backtest

# The report's track record: the backtest runs once (about a minute), then again only when the
# dataset, the backtest's inputs or the model change.
$(BACKTEST): forecast/domain/data/*/* scenarios/backtest/* forecast/model/*.py forecast/design/*.py forecast/backtest/*.py | $(STAMP)
	$(PY) -m forecast backtest

venv: $(STAMP)

# The package's own bytecode, compiled ahead (only changed modules; well under a second): where
# PYTHONDONTWRITEBYTECODE is set, as on this machine, Python never caches it and would compile
# every imported module of the package in every process (about 0.3 s of a cached re-run).
bytecode: $(STAMP)
	@$(PY) -m compileall -q forecast

# Opens notebooks/explore_posteriors.ipynb in JupyterLab, installed into .venv on first use.
notebook: $(STAMP)
	@$(PY) -c "import jupyterlab" 2>/dev/null || { echo "installing JupyterLab into $(VENV) (first use only)"; $(PY) -m pip install --quiet -c constraints.txt -e ".[dev,notebook]"; }
	$(PY) -m jupyterlab $(if $(filter 0,$(shell id -u)),--allow-root) $(JUPYTER_ARGS) notebooks/explore_posteriors.ipynb

# Re-install when the dependency pins change; the pins are the versions the suite was run with.
# uv installs when it can be had (on PATH, or pip-installed into .venv at its pinned version),
# pip otherwise; `make INSTALLER=pip ...` always uses pip (scripts/install_venv.sh).
$(STAMP): pyproject.toml constraints.txt scripts/install_venv.sh
	@test -n "$(PYTHON)" || { echo "error: no Python >= 3.12 found (see scripts/find_python.sh)" >&2; exit 1; }
	sh scripts/install_venv.sh "$(PYTHON)" $(VENV) dev $(INSTALLER)
	@touch $(STAMP)

# Executes the notebook without a browser; the executed copy goes to reports/notebook/.
notebook-run: $(STAMP)
	$(PY) scripts/run_notebook.py

clean:
	rm -rf $(VENV) reports/* .pytest_cache .ruff_cache
