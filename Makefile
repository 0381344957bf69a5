# Every target sets itself up: virtualenv, install, migrate. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The embedded default is a development setup; production sets DJANGO_DEBUG=0 and a secret key.
export DJANGO_DEBUG ?= 1
# The pure modules: no Django, DRF or Celery (tests/test_pure_modules.py reads this list), mypy strict.
PURE_MODULES := $(wildcard organisation/errors.py organisation/sentences.py organisation/local_grid.py \
	scheduling/errors.py scheduling/history_csv.py scheduling/working_time.py scheduling/coverage.py \
	scheduling/icalendar.py scheduling/forecast.py scheduling/reforecast.py scheduling/erlang.py scheduling/solver \
	scheduling/rules.py scheduling/rules_training.py scheduling/intraday_moves.py timeclock/errors.py timeclock/attendance.py timeclock/pay.py timeclock/pay_training.py timeclock/rates.py \
	timeclock/points.py timeclock/periods.py timeclock/jurisdictions timeclock/adherence.py web/charts.py)

.PHONY: install migrate demo test lint format run worker beat clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(PURE_MODULES) fixtures/demo_organisation.py
	$(PY) manage.py makemigrations --check --dry-run -v1
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

test: lint
	$(BIN)/pytest -q

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The demo data is loaded first when the database has none (web_demo prints the logins).
run: migrate
	$(PY) manage.py web_demo
	WFM_JOBS_IN_BACKGROUND=1 $(PY) manage.py runserver 127.0.0.1:8000

worker: install
	$(BIN)/celery -A wfm worker --loglevel=info

beat: install
	$(BIN)/celery -A wfm beat --loglevel=info

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
